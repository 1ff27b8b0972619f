import { podSpecOf } from '../../objects';
import type { Rule } from '../../types';

export const shareProcessNamespace: Rule = {
  id: 'share-process-namespace',
  group: 'pod-security',
  title: 'Pods should not share one process namespace',
  severity: 'warning',
  rationale:
    'With a shared process namespace every container sees and can signal the others’ processes and read their environment and files through /proc, so a compromised sidecar reaches the payment container’s secrets and keys.',
  remediation: 'Remove `shareProcessNamespace: true`; debug with an ephemeral container (`kubectl debug --target`) instead.',
  references: { pci: ['2.2.6'] },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod || pod.spec.shareProcessNamespace !== true) return;
    const path = [...pod.path, 'shareProcessNamespace'];
    context.report({
      path,
      message: 'The pod sets shareProcessNamespace: true; its containers can see and signal each other’s processes.',
      fix: { title: 'Set shareProcessNamespace: false', ops: [{ op: 'set', path, value: false }] },
    });
  },
};
