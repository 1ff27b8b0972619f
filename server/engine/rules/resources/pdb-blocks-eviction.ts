import { listSome } from '../list-some';
import { getIn } from '../../objects';
import type { K8sObject, RelatedReport, Rule } from '../../types';
import { objectLabel, relatedTo } from '../related';
import {
  autoscalerRelated,
  inNamespace,
  namespaceOf,
  objectPath,
  pdbSelects,
  REPLICATED_KINDS,
  replicaView,
  specReplicas,
  workloadLabels,
} from './workloads';

const PERCENT = /^(\d+(?:\.\d+)?)%$/;

function isZero(value: unknown): boolean {
  return (
    value === 0 ||
    value === '0' ||
    value === '0%' ||
    (typeof value === 'string' && PERCENT.test(value) && Number(PERCENT.exec(value)![1]) === 0)
  );
}

/** Pods the PDB must keep: the disruption controller rounds percentages up. */
function required(minAvailable: unknown, total: number): number | undefined {
  if (typeof minAvailable === 'number') return minAvailable;
  if (typeof minAvailable !== 'string') return undefined;
  const percent = PERCENT.exec(minAvailable);
  if (percent) return Math.ceil((Number(percent[1]) * total) / 100);
  return /^\d+$/.test(minAvailable) ? Number(minAvailable) : undefined;
}

interface Selected {
  workloads: K8sObject[];
  /** Fewest pods they run together, or undefined when a replica count is not a number. */
  total: number | undefined;
  /** Whether an HPA's minReplicas, not spec.replicas, set part of the total. */
  autoscaled: boolean;
  /** Where each count comes from: the workload's replicas or its autoscaler's minReplicas. */
  related: RelatedReport[];
}

function selectedWorkloads(pdb: K8sObject, context: Parameters<Rule['check']>[1]): Selected {
  const namespace = namespaceOf(pdb);
  const workloads: K8sObject[] = [];
  let total: number | undefined = 0;
  let autoscaled = false;
  const related: RelatedReport[] = [];
  for (const kind of REPLICATED_KINDS) {
    for (const workload of inNamespace(kind, namespace, context.workspace)) {
      const labels = workloadLabels(workload);
      if (!labels || !pdbSelects(pdb, labels)) continue;
      workloads.push(workload);
      const view = replicaView(workload, context.workspace);
      total = view && total !== undefined ? total + view.min : undefined;
      if (view?.autoscaler) autoscaled = true;
      if (view?.autoscaler) related.push(autoscalerRelated(view.autoscaler, 'minReplicas'));
      else related.push(replicasRelated(workload));
    }
  }
  return { workloads, total, autoscaled, related };
}

function replicasRelated(workload: K8sObject): RelatedReport {
  const set = getIn(workload.value, ['spec', 'replicas']) !== undefined;
  return relatedTo(
    workload,
    `${objectLabel(workload)} ${set ? 'runs' : 'runs (replicas not set)'} ${specReplicas(workload) ?? '?'} replica${specReplicas(workload) === 1 ? '' : 's'}`,
    set ? objectPath(workload, 'spec', 'replicas') : undefined,
  );
}

export const pdbBlocksEviction: Rule = {
  id: 'pdb-blocks-eviction',
  group: 'resources',
  title: 'PodDisruptionBudgets must allow at least one eviction',
  severity: 'warning',
  rationale:
    'A PodDisruptionBudget that allows no disruption makes every node drain hang, so security patches and cluster upgrades of the platform stall until someone deletes the budget by hand.',
  remediation:
    'Use `maxUnavailable: 1` (or a `minAvailable` below the replica count) and run enough replicas that one can be evicted safely.',
  references: { pci: [], like: 'polaris pdbDisruptionsIsZero' },
  check(object, context) {
    if (object.kind !== 'PodDisruptionBudget') return;
    const maxUnavailable = getIn(object.value, ['spec', 'maxUnavailable']);
    if (maxUnavailable !== undefined && maxUnavailable !== null) {
      if (isZero(maxUnavailable)) {
        context.report({
          path: objectPath(object, 'spec', 'maxUnavailable'),
          message: `PodDisruptionBudget "${object.name}" sets maxUnavailable: ${String(maxUnavailable)}: no pod may ever be evicted, so node drains and upgrades hang.`,
        });
      }
      return;
    }
    const minAvailable = getIn(object.value, ['spec', 'minAvailable']);
    if (minAvailable === undefined || minAvailable === null) return;
    const path = objectPath(object, 'spec', 'minAvailable');
    if (minAvailable === '100%') {
      context.report({
        path,
        message: `PodDisruptionBudget "${object.name}" sets minAvailable: 100%: no pod may ever be evicted, so node drains and upgrades hang.`,
      });
      return;
    }
    const selected = selectedWorkloads(object, context);
    if (selected.workloads.length === 0 || !selected.total) return;
    const needed = required(minAvailable, selected.total);
    if (needed === undefined || needed < selected.total) return;
    const names = listSome(selected.workloads.map((w) => `${w.kind} "${w.name}"`));
    context.report({
      path,
      message: `PodDisruptionBudget "${object.name}" requires ${needed} available pod${needed === 1 ? '' : 's'} (minAvailable: ${String(minAvailable)}) but ${names} ${selected.autoscaled ? `may scale down to ${selected.total} (HPA minReplicas)` : `run${selected.workloads.length === 1 ? 's' : ''} only ${selected.total}`}: no pod can be evicted, so node drains hang.`,
      related: selected.related,
    });
  },
};
