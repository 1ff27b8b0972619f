import { labelsOf } from '../../objects';
import type { Rule } from '../../types';

const ENFORCE = 'pod-security.kubernetes.io/enforce';

export const pciNamespacePodSecurity: Rule = {
  id: 'pci-namespace-pod-security',
  group: 'payments',
  title: 'PCI namespaces must enforce the restricted Pod Security Standard',
  severity: 'error',
  rationale:
    'Linting manifests only helps for what goes through the pipeline; Pod Security admission with `enforce: restricted` makes the API server itself reject privileged or root pods in the cardholder data environment, whoever applies them.',
  remediation:
    'Label the Namespace `pod-security.kubernetes.io/enforce: restricted` (and `audit`/`warn: restricted` to see violations before they are rejected).',
  references: { pci: ['2.2.1'], cis: ['5.2.1'], nsa: ['Pod security: Pod Security Admission'], pss: 'restricted' },
  check(object, context) {
    if (object.kind !== 'Namespace' || !context.workspace.isPciNamespace(object.name)) return;
    const value = labelsOf(object.value)[ENFORCE];
    if (value === 'restricted') return;
    const path = [...object.path, 'metadata', 'labels', ENFORCE];
    context.report({
      path,
      message:
        value === undefined
          ? `PCI namespace "${object.name}" does not enforce a Pod Security level (no ${ENFORCE} label).`
          : `PCI namespace "${object.name}" enforces Pod Security "${value}", not "restricted".`,
      fix: { title: `Set ${ENFORCE}: restricted`, ops: [{ op: 'set', path, value: 'restricted' }] },
    });
  },
};
