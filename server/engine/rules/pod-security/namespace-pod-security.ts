import { labelsOf } from '../../objects';
import type { Rule } from '../../types';

const ENFORCE = 'pod-security.kubernetes.io/enforce';

// kube-system runs the node agents and CNI pods that need host access; its level is the cluster's business.
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

export const namespacePodSecurity: Rule = {
  id: 'namespace-pod-security',
  group: 'pod-security',
  title: 'Namespaces should enforce a Pod Security level',
  severity: 'warning',
  rationale:
    'Without a `pod-security.kubernetes.io/enforce` label the namespace falls back to the cluster’s admission default, usually privileged, so a privileged or host-mounting pod applied by anyone with create rights lands next to workloads that connect to the cardholder data environment.',
  remediation:
    'Label the Namespace `pod-security.kubernetes.io/enforce: baseline` at least (`restricted` where the workloads allow it), with `warn`/`audit` at the stricter level to see what would break.',
  references: { pci: ['2.2.1', '2.2.6'], cis: ['5.2.1'], nsa: ['Pod security: Pod Security Admission'], pss: 'baseline' },
  check(object, context) {
    if (object.kind !== 'Namespace' || object.apiVersion !== 'v1' || SYSTEM_NAMESPACES.has(object.name)) return;
    // PCI namespaces must enforce restricted: pci-namespace-pod-security says so, with its own fix.
    if (context.workspace.isPciNamespace(object.name)) return;
    if (labelsOf(object.value)[ENFORCE] !== undefined) return;
    const path = [...object.path, 'metadata', 'labels', ENFORCE];
    context.report({
      path,
      message: `Namespace "${object.name}" enforces no Pod Security level (no ${ENFORCE} label): the cluster's default, usually privileged, applies.`,
      fix: { title: `Set ${ENFORCE}: baseline`, ops: [{ op: 'set', path, value: 'baseline' }] },
    });
  },
};
