// Whether a workload's rollout is finished, from the object alone (the same tests as `kubectl rollout status`).
// Pure, so the watch in rollout.ts only feeds it objects.

export const ROLLOUT_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export interface RolloutProgress {
  done: boolean;
  /** The rollout cannot finish by waiting (ProgressDeadlineExceeded). */
  failed?: boolean;
  message: string;
  desired?: number;
  updated?: number;
  ready?: number;
  available?: number;
}

interface Workload {
  kind?: string;
  metadata?: { name?: string; generation?: number };
  spec?: { replicas?: number; updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } } };
  status?: Record<string, unknown> & { observedGeneration?: number; conditions?: { type?: string; reason?: string; status?: string }[] };
}

const count = (value: unknown): number => (typeof value === 'number' ? value : 0);

export function rolloutProgress(object: Workload): RolloutProgress {
  const status = object.status ?? {};
  const generation = object.metadata?.generation ?? 0;
  if (count(status.observedGeneration) < generation) return { done: false, message: 'waiting for the controller to see the new spec' };
  switch (object.kind) {
    case 'Deployment':
      return deploymentProgress(object, status);
    case 'StatefulSet':
      return statefulSetProgress(object, status);
    case 'DaemonSet':
      return daemonSetProgress(object, status);
    default:
      return { done: true, message: `${object.kind} has no rollout to wait for` };
  }
}

function deploymentProgress(object: Workload, status: NonNullable<Workload['status']>): RolloutProgress {
  const desired = object.spec?.replicas ?? 1;
  const updated = count(status.updatedReplicas);
  const total = count(status.replicas);
  const ready = count(status.readyReplicas);
  const available = count(status.availableReplicas);
  const counts = { desired, updated, ready, available };
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return { done: false, failed: true, message: 'progress deadline exceeded', ...counts };
  if (updated < desired) return { done: false, message: `${updated} of ${desired} updated replicas`, ...counts };
  if (total > updated) return { done: false, message: `${total - updated} old replicas pending termination`, ...counts };
  if (available < updated) return { done: false, message: `${available} of ${updated} updated replicas available`, ...counts };
  return { done: true, message: `${available} of ${desired} replicas available`, ...counts };
}

function statefulSetProgress(object: Workload, status: NonNullable<Workload['status']>): RolloutProgress {
  const strategy = object.spec?.updateStrategy;
  if (strategy?.type === 'OnDelete') return { done: true, message: 'OnDelete update strategy: pods change only when deleted' };
  const desired = object.spec?.replicas ?? 1;
  const ready = count(status.readyReplicas);
  const updated = count(status.updatedReplicas);
  const available = count(status.availableReplicas);
  const counts = { desired, updated, ready, available };
  if (ready < desired) return { done: false, message: `${ready} of ${desired} pods ready`, ...counts };
  const partition = strategy?.rollingUpdate?.partition ?? 0;
  if (partition > 0) {
    const expected = desired - partition;
    if (updated < expected) return { done: false, message: `${updated} of ${expected} pods updated (partition ${partition})`, ...counts };
    return { done: true, message: `partitioned rollout: ${updated} of ${expected} pods updated`, ...counts };
  }
  if (status.updateRevision !== status.currentRevision) return { done: false, message: `${updated} of ${desired} pods updated`, ...counts };
  return { done: true, message: `${ready} of ${desired} pods ready at the new revision`, ...counts };
}

function daemonSetProgress(object: Workload, status: NonNullable<Workload['status']>): RolloutProgress {
  if (object.spec?.updateStrategy?.type === 'OnDelete')
    return { done: true, message: 'OnDelete update strategy: pods change only when deleted' };
  const desired = count(status.desiredNumberScheduled);
  const updated = count(status.updatedNumberScheduled);
  const ready = count(status.numberReady);
  const available = count(status.numberAvailable);
  const counts = { desired, updated, ready, available };
  if (updated < desired) return { done: false, message: `${updated} of ${desired} nodes updated`, ...counts };
  if (available < desired) return { done: false, message: `${available} of ${desired} updated pods available`, ...counts };
  return { done: true, message: `${available} of ${desired} pods available`, ...counts };
}
