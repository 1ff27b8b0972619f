import { podLabelsOf, podSpecOf } from '../../objects';
import type { Rule } from '../../types';
import { namespaceOf, objectPath, otherPolicyMayApply, policiesSelecting } from './policies';

export const podNotIsolated: Rule = {
  id: 'pod-not-isolated',
  group: 'network',
  title: 'Pods should be selected by a NetworkPolicy',
  severity: 'warning',
  rationale:
    'A pod no NetworkPolicy selects accepts traffic from, and may connect to, every pod in the cluster: one compromised workload can then reach payment, ledger or signing services directly.',
  remediation:
    'Add a NetworkPolicy in the same namespace whose `podSelector` matches the pod template labels (or a namespace default-deny with `podSelector: {}`), then allow only the flows the service needs.',
  references: {
    pci: ['1.2.5', '1.4.1'],
    cis: ['5.3.2'],
    nsa: ['Network separation and hardening: network policies'],
    like: 'kube-linter non-isolated-pod',
  },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    // NetworkPolicy does not apply to host-network pods at all; host-network reports those.
    if (pod.spec.hostNetwork === true) return;
    const namespace = namespaceOf(object);
    const labels = podLabelsOf(pod);
    if (policiesSelecting(namespace, labels, context.workspace).length > 0) return;
    if (otherPolicyMayApply(namespace, context.workspace, labels)) return;
    const hasLabels = Object.keys(labels).length > 0;
    context.report({
      path: hasLabels ? [...pod.metadataPath, 'labels'] : objectPath(object, 'metadata', 'name'),
      message: `No NetworkPolicy in namespace "${namespace}" selects the pods of ${object.kind} "${object.name}": they accept and open connections to any pod in the cluster.`,
    });
  },
};
