import type { Rule } from '../../types';
import { containerImages } from './containers';

export const imageTagLatest: Rule = {
  id: 'image-tag-latest',
  group: 'images',
  title: 'Images must not use the latest tag',
  severity: 'error',
  rationale:
    'An image without a tag, or tagged latest, runs whatever was pushed last: what reached production cannot be tied to a reviewed and tested build, and every pod restart may silently change the code that handles cardholder data.',
  remediation: 'Reference a versioned tag produced by your release pipeline, ideally pinned by `@sha256:` digest.',
  references: { pci: ['6.3.2'], like: 'kube-linter latest-tag' },
  check(object, context) {
    for (const { container, ref, path } of containerImages(object)) {
      // A digest decides what is pulled; the tag next to it is only a label.
      if (ref.digest !== undefined) continue;
      if (ref.tag !== undefined && ref.tag !== 'latest') continue;
      context.report({
        path,
        message:
          ref.tag === undefined
            ? `${container.label} uses image "${ref.raw}" without a tag: it runs whatever latest points to when the pod starts.`
            : `${container.label} uses image "${ref.raw}": latest changes with every push, so the running code is not the reviewed build.`,
      });
    }
  },
};
