import { asArray, asMap, getIn, podLabelsOf, ownValue } from '../../objects';
import type { Rule } from '../../types';
import { autoscalerRelated, multiReplicaWorkload } from './workloads';

/** Zones, because a zone outage is the failure that takes down every replica at once. */
const TOPOLOGY_KEY = 'topology.kubernetes.io/zone';

function hasAntiAffinity(spec: Record<string, unknown>): boolean {
  const anti = asMap(getIn(spec, ['affinity', 'podAntiAffinity']));
  if (!anti) return false;
  return (
    asArray(anti.requiredDuringSchedulingIgnoredDuringExecution).length > 0 ||
    asArray(anti.preferredDuringSchedulingIgnoredDuringExecution).length > 0
  );
}

/**
 * The labels that identify the workload's pods across rollouts: the workload's own matchLabels
 * when it has them (template labels may carry a version that changes every release), else the
 * template's labels.
 */
function spreadLabels(value: Record<string, unknown>, templated: Record<string, string>): Record<string, string> {
  const selector = asMap(getIn(value, ['spec', 'selector']));
  const matchLabels = asMap(selector?.matchLabels);
  if (matchLabels && selector?.matchExpressions === undefined) {
    const entries = Object.entries(matchLabels).filter(([key, v]) => typeof v === 'string' && ownValue(templated, key) === v);
    if (entries.length > 0 && entries.length === Object.keys(matchLabels).length)
      return Object.fromEntries(entries) as Record<string, string>;
  }
  return templated;
}

export const topologySpread: Rule = {
  id: 'topology-spread',
  group: 'resources',
  title: 'Multi-replica workloads should spread across failure domains',
  severity: 'info',
  rationale:
    'Replicas that all land in one zone or on one node fail together, so the redundancy paid for on the payment path disappears in the one outage it was meant to survive.',
  remediation:
    'Add `topologySpreadConstraints` (zone and/or hostname) or a `podAntiAffinity` rule so replicas are placed in different failure domains.',
  references: { pci: [], like: 'polaris topologySpreadConstraint' },
  check(object, context) {
    const workload = multiReplicaWorkload(object, context.workspace);
    if (!workload) return;
    const { pod, view } = workload;
    if (asArray(pod.spec.topologySpreadConstraints).length > 0 || hasAntiAffinity(pod.spec)) return;
    const path = [...pod.path, 'topologySpreadConstraints'];
    const labels = spreadLabels(object.value, podLabelsOf(pod));
    context.report({
      path,
      message: `${object.kind} "${object.name}" runs several replicas without topologySpreadConstraints or podAntiAffinity: they may all land in one zone or on one node.`,
      // Several replicas because the autoscaler may add them: it is part of why.
      related: view.autoscaler && [autoscalerRelated(view.autoscaler, 'maxReplicas')],
      fix:
        Object.keys(labels).length === 0
          ? undefined
          : {
              title: `Spread replicas across zones (${TOPOLOGY_KEY}, ScheduleAnyway)`,
              ops: [
                {
                  op: 'set',
                  path,
                  value: [
                    { maxSkew: 1, topologyKey: TOPOLOGY_KEY, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } },
                  ],
                },
              ],
            },
    });
  },
};
