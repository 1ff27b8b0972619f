import { podSpecOf } from '../../objects';
import type { Rule } from '../../types';

export const hostNetwork: Rule = {
  id: 'host-network',
  group: 'pod-security',
  title: "Pods must not use the node's network namespace",
  severity: 'error',
  rationale:
    "A pod on the host network sees every packet on the node, can bind the node's ports and reach its loopback services, and is not subject to NetworkPolicy, so it escapes the segmentation that keeps the cardholder-data environment apart.",
  remediation:
    'Set `hostNetwork: false` (or remove it) and expose the workload through a Service; keep host networking for reviewed node agents outside PCI scope.',
  references: { pci: ['1.4.1', '2.2.6'], cis: ['5.2.5'], pss: 'baseline', like: 'polaris hostNetworkSet' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod || pod.spec.hostNetwork !== true) return;
    const path = [...pod.path, 'hostNetwork'];
    context.report({
      path,
      message: `${object.kind} "${object.name}" shares the node's network namespace (hostNetwork: true); NetworkPolicy does not apply to it.`,
      fix: { title: 'Set hostNetwork: false', ops: [{ op: 'set', path, value: false }] },
    });
  },
};
