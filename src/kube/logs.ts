// Log tailing for a pod, one of its containers, or a workload (all pods matching its label selector):
// one stream per pod/container, each line prefixed `[pod/container]`. While following, a pod watch
// joins pods that appear (scale-up, rollout) and notes pods that go away; each container stream
// reconnects on its own (see logs/container-tail.ts, logs/follow-target.ts). Redaction runs on every line when asked.
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { describeKubeError } from './errors';
import { containerPrefix, tailContainer, type LogSink } from './logs/container-tail';
import { TargetFollower } from './logs/follow-target';
import { containersOf, hasStarted, notFound, podName, podsPath, selectorOf, type LogTarget } from './logs/pods';
import { listAllPages, targetNames } from './watch';

export type { LogSink } from './logs/container-tail';
export type { LogTarget } from './logs/pods';

export interface TailOptions {
  follow: boolean;
  /** Only lines of the last N seconds (first request of each container running when the tail starts). */
  sinceSeconds?: number;
  /** Only the last N lines of each container running when the tail starts. */
  tailLines?: number;
  /** Show the server's RFC3339Nano timestamp before each line. */
  timestamps: boolean;
  /** Mask card numbers and secrets (see logs/redact.ts); a function is asked per line, so a changed setting applies to running tails. */
  redact: boolean | (() => boolean);
}

/**
 * Streams the logs of `target` into `sink`. Without follow: each container's log once, pod by pod, then
 * resolves. With follow: until `signal` aborts (a selector), or until the pod goes away or its containers
 * finish (a single pod). Rejects only when the tail cannot start (pod not found, forbidden, no such
 * container); later trouble goes to `sink.status`.
 */
export async function tailLogs(
  kubeConfig: KubeConfig,
  target: LogTarget,
  options: TailOptions,
  sink: LogSink,
  signal: AbortSignal,
): Promise<void> {
  checkOptions(options);
  if (signal.aborted) return;
  return options.follow
    ? new TargetFollower(kubeConfig, target, options, sink).run(signal)
    : readTargetOnce(kubeConfig, target, options, sink, signal);
}

function checkOptions(options: TailOptions): void {
  for (const key of ['tailLines', 'sinceSeconds'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || value < (key === 'sinceSeconds' ? 1 : 0))) {
      throw new Error(`${key} must be a ${key === 'sinceSeconds' ? 'positive' : 'non-negative'} whole number, not ${value}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Once

async function readTargetOnce(
  kubeConfig: KubeConfig,
  target: LogTarget,
  options: TailOptions,
  sink: LogSink,
  signal: AbortSignal,
): Promise<void> {
  let pods: V1Pod[];
  try {
    ({ items: pods } = await listAllPages<V1Pod>(kubeConfig, podsPath(target.namespace), selectorOf(target), { signal }));
  } catch (error) {
    if (signal.aborted) return;
    throw new Error(
      describeKubeError(error, { verb: 'list', resource: 'pods', namespace: target.namespace, ...targetNames(kubeConfig) }).message,
      { cause: error },
    );
  }
  if ('pod' in target && pods.length === 0) throw notFound(target);
  if (pods.length === 0)
    sink.status(`No pods match ${(target as { labelSelector: string }).labelSelector} in namespace ${target.namespace}`);
  pods.sort((a, b) => podName(a).localeCompare(podName(b)));
  const plan = pods.map((pod) => ({ pod, containers: containersOf(pod, target) }));
  // Pod by pod, container by container: a plain read is easier to read grouped than interleaved.
  for (const { pod, containers } of plan) {
    for (const container of containers) {
      if (signal.aborted) return;
      if (!hasStarted(pod, container)) {
        sink.status(`${containerPrefix(podName(pod), container)} has not started yet (${pod.status?.phase ?? 'unknown phase'})`);
        continue;
      }
      await tailContainer({
        kubeConfig,
        namespace: target.namespace,
        pod: podName(pod),
        container,
        follow: false,
        timestamps: options.timestamps,
        redact: options.redact,
        tailLines: options.tailLines,
        sinceSeconds: options.sinceSeconds,
        sink,
        shouldResume: async () => ({ resume: false }),
        signal,
      });
    }
  }
}
