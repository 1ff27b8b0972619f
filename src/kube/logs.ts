// Log tailing for a pod, one of its containers, or a workload (all pods matching its label selector):
// one stream per pod/container, each line prefixed `[pod/container]`. While following, a pod watch
// joins pods that appear (scale-up, rollout) and notes pods that go away; each container stream
// reconnects on its own (see logs/container-tail.ts). Redaction runs on every line when asked.
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { describeKubeError, httpStatus } from './errors';
import { containerPrefix, tailContainer, type LogSink, type ResumeDecision } from './logs/container-tail';
import { requestJson } from './http';
import { listAllPages, targetNames, watchList } from './watch';

export type { LogSink } from './logs/container-tail';

export type LogTarget = { namespace: string; pod: string; container?: string } | { namespace: string; labelSelector: string };

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
    ? followTarget(kubeConfig, target, options, sink, signal)
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

function podsPath(namespace: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
}

function selectorOf(target: LogTarget): { labelSelector?: string; fieldSelector?: string } {
  return 'pod' in target ? { fieldSelector: `metadata.name=${target.pod}` } : { labelSelector: target.labelSelector };
}

/** The containers to show: the one asked for, else all of the pod's (init containers are not followed). */
function containersOf(pod: V1Pod, target: LogTarget): string[] {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  if ('pod' in target && target.container) {
    if (!names.includes(target.container)) {
      throw new Error(`Container ${target.container} is not in pod ${target.pod} (containers: ${names.join(', ') || 'none'})`);
    }
    return [target.container];
  }
  return names;
}

/** A container has a log once it has started (running now, or ran before). */
function hasStarted(pod: V1Pod, container: string): boolean {
  const status = pod.status?.containerStatuses?.find((s) => s.name === container);
  return Boolean(status && (status.state?.running || status.state?.terminated || status.lastState?.terminated));
}

function podName(pod: V1Pod): string {
  return pod.metadata?.name ?? '';
}

function notFound(target: LogTarget): Error {
  return new Error(
    'pod' in target ? `Not found: pod ${target.pod} in namespace ${target.namespace}` : `No pods match ${target.labelSelector}`,
  );
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

// ---------------------------------------------------------------------------------------------------
// Follow

interface FollowedPod {
  uid: string | undefined;
  /** Stops this pod's streams (it went away or was replaced) without stopping the others. */
  stop: AbortController;
  running: Map<string, Promise<void>>;
  finished: Set<string>;
  /** Containers not started yet, noted once. */
  waiting: Set<string>;
}

async function followTarget(
  kubeConfig: KubeConfig,
  target: LogTarget,
  options: TailOptions,
  sink: LogSink,
  signal: AbortSignal,
): Promise<void> {
  const { namespace } = target;
  const singlePod = 'pod' in target;
  const pods = new Map<string, FollowedPod>();
  const all = new Set<Promise<void>>();
  // Ends the pod watch: on the caller's abort, or when a single pod's tail is over.
  const done = new AbortController();
  const stopAll = () => done.abort();
  signal.addEventListener('abort', stopAll, { once: true });

  let listed = false;
  let startError: Error | undefined;

  const forget = (name: string, message: string | undefined) => {
    const followed = pods.get(name);
    if (!followed) return;
    pods.delete(name);
    followed.stop.abort();
    if (message) sink.status(message);
    if (singlePod) stopAll();
  };

  /** Asked by a container stream that ended: resume unless the pod is gone or the container is done. */
  const shouldResume = (name: string, uid: string | undefined, container: string) => async (): Promise<ResumeDecision> => {
    let pod: V1Pod;
    try {
      pod = await requestJson<V1Pod>(kubeConfig, `${podsPath(namespace)}/${encodeURIComponent(name)}`, {}, { signal: done.signal });
    } catch (error) {
      if (httpStatus(error) === 404) {
        forget(name, `pod ${name} went away`);
        return { resume: false };
      }
      return { resume: true }; // the API server is unreachable for now: the stream's own retries wait it out
    }
    if (uid && pod.metadata?.uid !== uid) {
      forget(name, `pod ${name} went away (replaced by a new pod of the same name)`);
      return { resume: false };
    }
    if (containerFinished(pod, container))
      return { resume: false, message: `container finished (pod ${pod.status?.phase ?? 'phase unknown'})` };
    return { resume: true };
  };

  const startContainers = (pod: V1Pod, initial: boolean) => {
    const name = podName(pod);
    let followed = pods.get(name);
    if (followed && followed.uid !== pod.metadata?.uid) {
      forget(name, `pod ${name} was replaced by a new pod of the same name`);
      followed = undefined;
    }
    if (!followed) {
      followed = { uid: pod.metadata?.uid, stop: new AbortController(), running: new Map(), finished: new Set(), waiting: new Set() };
      pods.set(name, followed);
      if (!initial) sink.status(`pod ${name} joined`);
    }
    for (const container of containersOf(pod, target)) {
      if (followed.running.has(container)) continue;
      if (!hasStarted(pod, container)) {
        if (!followed.waiting.has(container)) sink.status(`${containerPrefix(name, container)} waiting for the container to start`);
        followed.waiting.add(container);
        continue;
      }
      const current = followed;
      const run = tailContainer({
        kubeConfig,
        namespace,
        pod: name,
        container,
        follow: true,
        timestamps: options.timestamps,
        redact: options.redact,
        // The user's window applies to what already ran when the tail started; later starters show all.
        tailLines: initial ? options.tailLines : undefined,
        sinceSeconds: initial ? options.sinceSeconds : undefined,
        sink,
        shouldResume: shouldResume(name, current.uid, container),
        signal: AbortSignal.any([done.signal, current.stop.signal]),
      })
        .catch((error: unknown) => {
          // The sink threw: stop everything and hand the error to the caller.
          startError ??= error instanceof Error ? error : new Error(String(error));
          stopAll();
        })
        .finally(() => {
          all.delete(run);
          current.finished.add(container);
          // A single pod whose every container is done: the tail is over.
          if (singlePod && pods.get(name) === current && current.finished.size === current.running.size) stopAll();
        });
      followed.running.set(container, run);
      all.add(run);
    }
  };

  const watched = watchList<V1Pod>(
    kubeConfig,
    podsPath(namespace),
    selectorOf(target),
    {
      onRelist(items) {
        const initial = !listed;
        listed = true;
        try {
          if (initial && singlePod && items.length === 0) throw notFound(target);
          if (initial && items.length === 0)
            sink.status(`No pods match ${(target as { labelSelector: string }).labelSelector} yet; waiting for some`);
          const present = new Set(items.map(podName));
          for (const name of [...pods.keys()]) if (!present.has(name)) forget(name, `pod ${name} went away`);
          for (const pod of items) startContainers(pod, initial);
        } catch (error) {
          startError = error as Error;
          stopAll();
        }
      },
      onEvent(type, pod) {
        try {
          if (type === 'DELETED') forget(podName(pod), `pod ${podName(pod)} went away`);
          else startContainers(pod, false);
        } catch (error) {
          sink.status(`pod ${podName(pod)}: ${(error as Error).message}`);
        }
      },
      onError(error, state) {
        if (!listed && !state.retrying) {
          startError = new Error(error.message);
          stopAll();
          return;
        }
        sink.status(`watching pods: ${error.message}${state.retrying ? '; retrying' : '; new pods will not be joined'}`);
      },
    },
    done.signal,
  );

  try {
    await watched;
    // The watch gave up (after telling sink.status): the streams already open go on until stopped.
    if (!done.signal.aborted) await new Promise((resolve) => done.signal.addEventListener('abort', resolve, { once: true }));
    while (all.size > 0) await Promise.allSettled([...all]);
  } finally {
    signal.removeEventListener('abort', stopAll);
  }
  if (startError) throw startError;
}

/** Terminated and not coming back: the pod is over, or its restart policy will not restart it. */
function containerFinished(pod: V1Pod, container: string): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return true;
  const terminated = pod.status?.containerStatuses?.find((s) => s.name === container)?.state?.terminated;
  if (!terminated) return false;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  return policy === 'Never' || (policy === 'OnFailure' && terminated.exitCode === 0);
}
