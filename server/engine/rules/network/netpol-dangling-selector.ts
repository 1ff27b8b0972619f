import { getIn } from '../../objects';
import type { Rule } from '../../types';
import { isEmptySelector, isKubeNetworkPolicy, labelSelectorMatches, namespaceOf, objectPath, workloadsIn } from './policies';

export const netpolDanglingSelector: Rule = {
  id: 'netpol-dangling-selector',
  group: 'network',
  title: 'NetworkPolicy podSelector should match a workload',
  severity: 'warning',
  rationale:
    'A policy whose podSelector matches no pod protects nothing: usually a renamed label, leaving the service it was written for open while the review trail says it is segmented.',
  remediation: 'Fix the `podSelector` to match the pod template labels of the workload it is meant to protect, or delete the stale policy.',
  references: { pci: ['1.2.7'], like: 'kube-linter dangling-networkpolicy' },
  check(object, context) {
    if (!isKubeNetworkPolicy(object)) return;
    const selector = getIn(object.value, ['spec', 'podSelector']);
    // An empty selector is a namespace-wide policy (default deny): it applies to whatever pods come.
    if (isEmptySelector(selector)) return;
    const namespace = namespaceOf(object);
    const workloads = workloadsIn(namespace, context.workspace);
    // Pods of a namespace with no workload in the workspace are deployed from elsewhere: no verdict.
    if (workloads.length === 0) return;
    if (workloads.some((w) => labelSelectorMatches(selector, w.labels))) return;
    context.report({
      path: objectPath(object, 'spec', 'podSelector'),
      message: `NetworkPolicy "${object.name}" selects no pod: none of the ${workloads.length} workload(s) in namespace "${namespace}" has matching pod template labels.`,
    });
  },
};
