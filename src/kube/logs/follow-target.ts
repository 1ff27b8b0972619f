// Following a target's logs: a pod watch joins pods that appear (scale-up, rollout) and notes pods that go
// away or are replaced; each started container gets its own stream (container-tail.ts), asked on every
// end whether to resume. A single pod's tail is over when all its containers are.
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { httpStatus } from '../errors';
import { requestJson } from '../http';
import type { TailOptions } from '../logs';
import { watchList } from '../watch';
import { containerPrefix, tailContainer, type LogSink, type ResumeDecision } from './container-tail';
import { containerFinished, containersOf, hasStarted, notFound, podName, podsPath, selectorOf, type LogTarget } from './pods';

interface FollowedPod {
  uid: string | undefined;
  /** Stops this pod's streams (it went away or was replaced) without stopping the others. */
  stop: AbortController;
  running: Map<string, Promise<void>>;
  finished: Set<string>;
  /** Containers not started yet, noted once. */
  waiting: Set<string>;
}

export class TargetFollower {
  private readonly pods = new Map<string, FollowedPod>();
  /** Every container stream still running. */
  private readonly streams = new Set<Promise<void>>();
  /** Ends the pod watch and every stream: on the caller's abort, or when a single pod's tail is over. */
  private readonly done = new AbortController();
  private readonly singlePod: boolean;
  private listed = false;
  /** Why the tail could not start (or the sink threw): the caller gets it. */
  private startError: Error | undefined;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly target: LogTarget,
    private readonly options: TailOptions,
    private readonly sink: LogSink,
  ) {
    this.singlePod = 'pod' in target;
  }

  /** Resolves when every stream has ended; rejects when the tail could not start. */
  async run(signal: AbortSignal): Promise<void> {
    const stopAll = () => this.stopAll();
    signal.addEventListener('abort', stopAll, { once: true });
    try {
      await watchList<V1Pod>(
        this.kubeConfig,
        podsPath(this.target.namespace),
        selectorOf(this.target),
        {
          onRelist: (items) => this.relisted(items),
          onEvent: (type, pod) => this.podEvent(type, pod),
          onError: (error, state) => this.watchFailed(error, state.retrying),
        },
        this.done.signal,
      );
      // The watch gave up (after telling sink.status): the streams already open go on until stopped.
      if (!this.done.signal.aborted) await new Promise((resolve) => this.done.signal.addEventListener('abort', resolve, { once: true }));
      while (this.streams.size > 0) await Promise.allSettled([...this.streams]);
    } finally {
      signal.removeEventListener('abort', stopAll);
    }
    if (this.startError) throw this.startError;
  }

  private stopAll(): void {
    this.done.abort();
  }

  private fail(error: unknown): void {
    this.startError ??= error instanceof Error ? error : new Error(String(error));
    this.stopAll();
  }

  private relisted(items: V1Pod[]): void {
    const initial = !this.listed;
    this.listed = true;
    try {
      if (initial && this.singlePod && items.length === 0) throw notFound(this.target);
      if (initial && items.length === 0)
        this.sink.status(`No pods match ${(this.target as { labelSelector: string }).labelSelector} yet; waiting for some`);
      const present = new Set(items.map(podName));
      for (const name of [...this.pods.keys()]) if (!present.has(name)) this.forget(name, `pod ${name} went away`);
      for (const pod of items) this.startContainers(pod, initial);
    } catch (error) {
      this.fail(error);
    }
  }

  private podEvent(type: string, pod: V1Pod): void {
    try {
      if (type === 'DELETED') this.forget(podName(pod), `pod ${podName(pod)} went away`);
      else this.startContainers(pod, false);
    } catch (error) {
      this.sink.status(`pod ${podName(pod)}: ${(error as Error).message}`);
    }
  }

  private watchFailed(error: { message: string }, retrying: boolean): void {
    if (!this.listed && !retrying) {
      this.fail(new Error(error.message));
      return;
    }
    this.sink.status(`watching pods: ${error.message}${retrying ? '; retrying' : '; new pods will not be joined'}`);
  }

  /** Stops following a pod that went away or was replaced. */
  private forget(name: string, message: string | undefined): void {
    const followed = this.pods.get(name);
    if (!followed) return;
    this.pods.delete(name);
    followed.stop.abort();
    if (message) this.sink.status(message);
    if (this.singlePod) this.stopAll();
  }

  /** The pod as followed now: a new entry when it is new or replaced (another uid under the same name). */
  private followedPod(pod: V1Pod, initial: boolean): FollowedPod {
    const name = podName(pod);
    let followed = this.pods.get(name);
    if (followed && followed.uid !== pod.metadata?.uid) {
      this.forget(name, `pod ${name} was replaced by a new pod of the same name`);
      followed = undefined;
    }
    if (!followed) {
      followed = { uid: pod.metadata?.uid, stop: new AbortController(), running: new Map(), finished: new Set(), waiting: new Set() };
      this.pods.set(name, followed);
      if (!initial) this.sink.status(`pod ${name} joined`);
    }
    return followed;
  }

  /** Streams each started container of the pod not streamed yet; notes, once, those not started. */
  private startContainers(pod: V1Pod, initial: boolean): void {
    const name = podName(pod);
    const followed = this.followedPod(pod, initial);
    for (const container of containersOf(pod, this.target)) {
      if (followed.running.has(container)) continue;
      if (!hasStarted(pod, container)) {
        if (!followed.waiting.has(container)) this.sink.status(`${containerPrefix(name, container)} waiting for the container to start`);
        followed.waiting.add(container);
        continue;
      }
      this.stream(name, followed, container, initial);
    }
  }

  private stream(name: string, followed: FollowedPod, container: string, initial: boolean): void {
    const run = tailContainer({
      kubeConfig: this.kubeConfig,
      namespace: this.target.namespace,
      pod: name,
      container,
      follow: true,
      timestamps: this.options.timestamps,
      redact: this.options.redact,
      // The user's window applies to what already ran when the tail started; later starters show all.
      tailLines: initial ? this.options.tailLines : undefined,
      sinceSeconds: initial ? this.options.sinceSeconds : undefined,
      sink: this.sink,
      shouldResume: () => this.shouldResume(name, followed.uid, container),
      signal: AbortSignal.any([this.done.signal, followed.stop.signal]),
    })
      // The sink threw: stop everything and hand the error to the caller.
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        this.streams.delete(run);
        followed.finished.add(container);
        // A single pod whose every container is done: the tail is over.
        if (this.singlePod && this.pods.get(name) === followed && followed.finished.size === followed.running.size) this.stopAll();
      });
    followed.running.set(container, run);
    this.streams.add(run);
  }

  /** Asked by a container stream that ended: resume unless the pod is gone or the container is done. */
  private async shouldResume(name: string, uid: string | undefined, container: string): Promise<ResumeDecision> {
    let pod: V1Pod;
    try {
      pod = await requestJson<V1Pod>(
        this.kubeConfig,
        `${podsPath(this.target.namespace)}/${encodeURIComponent(name)}`,
        {},
        { signal: this.done.signal },
      );
    } catch (error) {
      if (httpStatus(error) === 404) {
        this.forget(name, `pod ${name} went away`);
        return { resume: false };
      }
      return { resume: true }; // the API server is unreachable for now: the stream's own retries wait it out
    }
    if (uid && pod.metadata?.uid !== uid) {
      this.forget(name, `pod ${name} went away (replaced by a new pod of the same name)`);
      return { resume: false };
    }
    if (containerFinished(pod, container))
      return { resume: false, message: `container finished (pod ${pod.status?.phase ?? 'phase unknown'})` };
    return { resume: true };
  }
}
