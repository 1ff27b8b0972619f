import { podLabelsOf } from '../../objects';
import type { Rule } from '../../types';
import { autoscalerRelated, inNamespace, multiReplicaWorkload, namespaceOf, objectPath, pdbSelects } from './workloads';

export const podDisruptionBudget: Rule = {
  id: 'pod-disruption-budget',
  group: 'resources',
  title: 'Multi-replica workloads should have a PodDisruptionBudget',
  severity: 'info',
  rationale:
    'Without a PodDisruptionBudget a node drain or cluster upgrade may evict every replica of a service at once, turning routine maintenance into a payment outage.',
  remediation:
    'Add a `policy/v1` PodDisruptionBudget in the same namespace whose selector matches the pod template labels, e.g. `maxUnavailable: 1`.',
  references: { pci: [], like: 'polaris missingPodDisruptionBudget' },
  check(object, context) {
    const workload = multiReplicaWorkload(object, context.workspace);
    if (!workload) return;
    const { pod, view } = workload;
    const namespace = namespaceOf(object);
    const labels = podLabelsOf(pod);
    if (inNamespace('PodDisruptionBudget', namespace, context.workspace).some((pdb) => pdbSelects(pdb, labels))) return;
    const replicas = view.autoscaler
      ? `up to ${view.autoscaler.maxReplicas ?? view.min} replicas (HPA "${view.autoscaler.object.name}")`
      : `${view.min} replicas`;
    context.report({
      path: objectPath(object, 'metadata', 'name'),
      message: `${object.kind} "${object.name}" runs ${replicas} but no PodDisruptionBudget in namespace "${namespace}" selects its pods: a drain may evict them all at once.`,
      related: view.autoscaler && [autoscalerRelated(view.autoscaler, 'maxReplicas')],
    });
  },
};
