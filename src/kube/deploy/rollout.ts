// Waits for Deployments, StatefulSets and DaemonSets to finish rolling out, from a watch on each (one
// request per workload, events as the controllers update status; no polling). Cancellable; bounded by a timeout.
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { describeObject } from './plan';
import { ROLLOUT_KINDS, rolloutProgress, type RolloutProgress } from './rollout-status';

export interface WorkloadRef {
  kind: string;
  name: string;
  namespace?: string;
}

export type RolloutState = 'progressing' | 'complete' | 'failed' | 'timeout' | 'cancelled' | 'error';

export interface RolloutStatus extends Omit<RolloutProgress, 'done' | 'failed'> {
  workload: WorkloadRef;
  state: RolloutState;
}

export interface RolloutOptions {
  signal?: AbortSignal;
  /** For all workloads together. Default 5 minutes. */
  timeoutMs?: number;
  /** Every change of a workload's progress, terminal states included. */
  onProgress?: (status: RolloutStatus) => void;
}

const PLURAL: Record<string, string> = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' };
const DEFAULT_TIMEOUT_MS = 5 * 60_000;
/** The server ends a watch after this long; it is then re-opened. */
const WATCH_SECONDS = 240;
const MAX_RETRY_DELAY_MS = 10_000;

/** One status per Deployment/StatefulSet/DaemonSet among `objects` (others are ignored), in their order. */
export async function waitForRollout(
  kc: KubeConfig,
  objects: readonly WorkloadRef[],
  options: RolloutOptions = {},
): Promise<RolloutStatus[]> {
  const workloads = objects.filter((o) => ROLLOUT_KINDS.has(o.kind));
  if (workloads.length === 0) return [];
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort('timeout'), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const onCancel = () => stop.abort('cancelled');
  if (options.signal?.aborted) onCancel();
  options.signal?.addEventListener('abort', onCancel, { once: true });
  try {
    return await Promise.all(workloads.map((workload) => watchWorkload(kc, workload, stop.signal, options.onProgress)));
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCancel);
  }
}

function watchWorkload(
  kc: KubeConfig,
  workload: WorkloadRef,
  stop: AbortSignal,
  onProgress?: (status: RolloutStatus) => void,
): Promise<RolloutStatus> {
  const namespace = workload.namespace ?? 'default';
  const path = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${PLURAL[workload.kind]}`;
  const watch = new Watch(kc);
  let last: RolloutProgress = { done: false, message: 'waiting for the workload status' };
  const status = (state: RolloutState, progress: Partial<RolloutProgress> = last): RolloutStatus => {
    const { done: _done, failed: _failed, ...rest } = { ...last, ...progress };
    return { workload, state, ...rest };
  };

  return new Promise<RolloutStatus>((resolve) => {
    let settled = false;
    let controller: AbortController | undefined;
    let retryTimer: NodeJS.Timeout | undefined;
    let failures = 0;
    const finish = (result: RolloutStatus) => {
      if (settled) return;
      settled = true;
      stop.removeEventListener('abort', onStop);
      clearTimeout(retryTimer);
      controller?.abort();
      onProgress?.(result);
      resolve(result);
    };
    const onStop = () =>
      finish(
        status(stop.reason === 'timeout' ? 'timeout' : 'cancelled', {
          message: `${stop.reason === 'timeout' ? 'timed out' : 'cancelled'}: ${last.message}`,
        }),
      );

    const open = async () => {
      if (settled) return;
      const opened = Date.now();
      controller = await watch.watch(
        path,
        { fieldSelector: `metadata.name=${workload.name}`, timeoutSeconds: WATCH_SECONDS },
        (type: string, object: unknown) => {
          if (settled) return;
          if (type === 'DELETED') return finish(status('error', { message: `${describeObject(workload)} was deleted during the rollout` }));
          if (type !== 'ADDED' && type !== 'MODIFIED') return; // ERROR (e.g. 410 Gone) ends the stream; `done` re-opens it.
          failures = 0;
          const progress = rolloutProgress(object as Parameters<typeof rolloutProgress>[0]);
          const changed = progress.message !== last.message;
          last = progress;
          if (progress.done) finish(status('complete'));
          else if (progress.failed) finish(status('failed'));
          else if (changed) onProgress?.(status('progressing'));
        },
        (error: unknown) => {
          if (settled) return;
          const code = (error as { statusCode?: number } | null)?.statusCode;
          if (code === 401 || code === 403 || code === 404) {
            return finish(status('error', { message: `cannot watch ${describeObject(workload)}: HTTP ${code}` }));
          }
          // A watch ends normally after WATCH_SECONDS or when the server restarts; re-open at once if it lived
          // a while, else back off so a failing server is not hammered.
          const delay = error || Date.now() - opened < 1000 ? Math.min(500 * 2 ** failures++, MAX_RETRY_DELAY_MS) : 0;
          retryTimer = setTimeout(() => void open(), delay);
        },
      );
      if (settled) controller.abort();
    };

    if (stop.aborted) return onStop();
    stop.addEventListener('abort', onStop, { once: true });
    void open();
  });
}
