import { containersOf, getIn, podSpecOf } from '../../objects';
import type { Rule } from '../../types';
import { autoscalerOf, autoscalerRelated, declaredPorts, objectPath, specReplicas } from './workloads';

export const replicasMinimum: Rule = {
  id: 'replicas-minimum',
  group: 'resources',
  title: 'Serving Deployments should run at least two replicas',
  severity: 'warning',
  rationale:
    'A single-replica service is down during every node drain, rollout or crash, so an API on the payment path becomes a single point of failure; StatefulSets are exempt because validators and chain nodes are singletons by design.',
  remediation:
    'Run at least two replicas (`spec.replicas: 2`), or give the HorizontalPodAutoscaler that manages the Deployment `minReplicas: 2`.',
  references: { pci: [], like: 'kube-linter minimum-three-replicas' },
  check(object, context) {
    if (object.kind !== 'Deployment') return;
    const pod = podSpecOf(object);
    if (!pod) return;
    const serving = containersOf(pod).some((c) => c.list === 'containers' && declaredPorts(c).length > 0);
    if (!serving) return;
    const path = objectPath(object, 'spec', 'replicas');
    const autoscaler = autoscalerOf(object, context.workspace);
    if (autoscaler) {
      if (autoscaler.minReplicas >= 2) return;
      // The HPA owns spec.replicas, so the remedy is on the HPA, not here.
      context.report({
        path,
        message: `Deployment "${object.name}" serves traffic but HorizontalPodAutoscaler "${autoscaler.object.name}" lets it scale down to ${autoscaler.minReplicas} replica: set its minReplicas to 2.`,
        related: [autoscalerRelated(autoscaler, 'minReplicas')],
      });
      return;
    }
    const replicas = specReplicas(object);
    // 0 is a deliberately parked Deployment, not a single point of failure.
    if (replicas === undefined || replicas === 0 || replicas >= 2) return;
    context.report({
      path,
      message: `Deployment "${object.name}" serves traffic with ${replicas} replica${getIn(object.value, ['spec', 'replicas']) === undefined ? ' (replicas is not set)' : ''}: one node drain or crash takes it down.`,
      fix: { title: 'Set replicas: 2', ops: [{ op: 'set', path, value: 2 }] },
    });
  },
};
