import { asString } from '../../objects';
import type { Rule } from '../../types';
import { containerImages } from './containers';

export const imagePullPolicy: Rule = {
  id: 'image-pull-policy',
  group: 'images',
  title: 'Tag-referenced images should be pulled Always',
  severity: 'info',
  rationale:
    'With IfNotPresent a node runs whatever it cached under a tag, so nodes can run different code for the same tag, and a pod can start a private image without presenting registry credentials.',
  remediation: 'Set `imagePullPolicy: Always` for images referenced by tag, or pin them by `@sha256:` digest.',
  references: { pci: ['6.3.3'], like: 'polaris pullPolicyNotAlways' },
  check(object, context) {
    for (const { container, ref, path } of containerImages(object)) {
      // A digest names the content itself: a cached copy is the same image.
      if (ref.digest !== undefined) continue;
      const explicit = asString(container.container.imagePullPolicy);
      // Kubernetes defaults to Always only for latest or untagged images.
      const effective = explicit ?? (ref.tag === undefined || ref.tag === 'latest' ? 'Always' : 'IfNotPresent');
      if (effective === 'Always') continue;
      const policyPath = [...container.path, 'imagePullPolicy'];
      context.report({
        path: explicit ? policyPath : path,
        message: explicit
          ? `${container.label} pulls tag-referenced image "${ref.raw}" with imagePullPolicy: ${explicit}: a node may run a stale copy of the tag.`
          : `${container.label} image "${ref.raw}" defaults to imagePullPolicy: IfNotPresent: a node may run a stale copy of the tag.`,
        fix: { title: 'Set imagePullPolicy: Always', ops: [{ op: 'set', path: policyPath, value: 'Always' }] },
      });
    }
  },
};
