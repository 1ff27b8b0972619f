import type { Rule } from '../../types';
import { containerImages } from './containers';
import { isPinnedByDigest } from './image-ref';

export const imageDigest: Rule = {
  id: 'image-digest',
  group: 'images',
  title: 'Images should be pinned by digest',
  severity: 'warning',
  rationale:
    'Tags are mutable: anyone able to push to the repository can swap the content behind a tag, so only a sha256 digest guarantees the deployed image is the one that was scanned, signed and approved.',
  remediation:
    'Reference images as `registry/repo:tag@sha256:<digest>` (keep the tag for readability); let your CI or a tool like crane/kustomize resolve the digest.',
  references: { pci: ['6.3.2', '11.5.2'] },
  check(object, context) {
    for (const { container, ref, path } of containerImages(object)) {
      if (isPinnedByDigest(ref)) continue;
      context.report({
        path,
        message:
          ref.digest !== undefined
            ? `${container.label} image "${ref.raw}" has digest "${ref.digest}", which is not a sha256 digest of 64 lowercase hex characters.`
            : `${container.label} image "${ref.raw}" is not pinned by @sha256 digest: the content behind the tag can change.`,
      });
    }
  },
};
