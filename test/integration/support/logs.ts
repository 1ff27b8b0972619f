// Helpers for log tests against the harness's fake kubelet: where its log files and control endpoint
// are, writing log lines, cutting follow streams, and a sink that records what the tailer delivers.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { watchList } from '../../../src/kube/watch';
import type { LogSink } from '../../../src/kube/logs';
import { testKubeconfigPath } from './cluster';

export interface KubeletHarness {
  logsDir: string;
  control: string;
}

/** The fake kubelet's log directory and control URL: from the environment, else the harness's cluster.json. */
export function kubeletHarness(): KubeletHarness | undefined {
  const control = process.env.FINTECH_K8S_TEST_KUBELET_CONTROL;
  const logsDir = process.env.FINTECH_K8S_TEST_LOGS_DIR;
  if (control && logsDir) return { control, logsDir };
  const kubeconfig = testKubeconfigPath();
  const info = kubeconfig && join(dirname(kubeconfig), 'cluster.json');
  if (!info || !existsSync(info)) return undefined;
  const cluster = JSON.parse(readFileSync(info, 'utf8')) as { logsDir?: string; kubeletControl?: string };
  return cluster.logsDir && cluster.kubeletControl ? { logsDir: cluster.logsDir, control: cluster.kubeletControl } : undefined;
}

export interface LogEntry {
  /** RFC3339Nano, as the kubelet stores it. */
  timestamp: string;
  text: string;
}

/** `<epoch second>` + nanoseconds → `2026-05-01T12:00:05.000000123Z`. */
export function stamp(epochSecond: number, nanos = 0): string {
  const second = new Date(epochSecond * 1000).toISOString().slice(0, 19);
  return `${second}.${String(nanos).padStart(9, '0')}Z`;
}

export function appendLog(harness: KubeletHarness, namespace: string, pod: string, container: string, entries: LogEntry[]): void {
  const file = join(harness.logsDir, `${namespace}_${pod}_${container}.log`);
  appendFileSync(file, entries.map((e) => `${e.timestamp} ${e.text}\n`).join(''));
}

export interface StreamFilter {
  namespace?: string;
  pod?: string;
  container?: string;
}

function query(filter: StreamFilter): string {
  const params = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined) as [string, string][]);
  return params.size ? `?${params}` : '';
}

/** Destroys the kubelet side of matching follow streams; returns how many. */
export async function dropStreams(harness: KubeletHarness, filter: StreamFilter): Promise<number> {
  const response = await fetch(`${harness.control}/control/drop${query(filter)}`, { method: 'POST' });
  return ((await response.json()) as { dropped: number }).dropped;
}

export async function openStreams(harness: KubeletHarness, filter: StreamFilter): Promise<StreamFilter[]> {
  const response = await fetch(`${harness.control}/control/streams${query(filter)}`);
  return ((await response.json()) as { open: StreamFilter[] }).open;
}

/**
 * Waits until the kubelet holds `count` open follow streams matching the filter. The control endpoint has
 * no watch, so this asks every 50 ms, for at most timeoutMs.
 */
export async function waitForOpenStreams(harness: KubeletHarness, filter: StreamFilter, count: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let open: StreamFilter[] = [];
  while (Date.now() < deadline) {
    open = await openStreams(harness, filter);
    if (open.length === count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`expected ${count} open follow stream(s) for ${JSON.stringify(filter)}, have ${JSON.stringify(open)}`);
}

/** A LogSink that records everything and lets a test wait for a condition on what arrived. */
export class RecordingSink implements LogSink {
  readonly lines: { prefix: string; text: string }[] = [];
  readonly statuses: string[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];

  line(prefix: string, text: string): void {
    this.lines.push({ prefix, text });
    this.wake();
  }

  status(message: string): void {
    this.statuses.push(message);
    this.wake();
  }

  /** The texts delivered for one `[pod/container]`, in order. */
  textsOf(prefix: string): string[] {
    return this.lines.filter((l) => l.prefix === prefix).map((l) => l.text);
  }

  until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `timed out waiting for ${what}; lines: ${JSON.stringify(this.lines.slice(-20))}; statuses: ${JSON.stringify(this.statuses)}`,
          ),
        );
      }, timeoutMs);
      const waiter = {
        check: condition,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  private wake(): void {
    this.waiters = this.waiters.filter((w) => (w.check() ? (w.resolve(), false) : true));
  }
}

/** Resolves with the matching pods once `condition` holds for them (watch-driven, bounded by timeoutMs). */
export async function waitForPods(
  kubeConfig: KubeConfig,
  namespace: string,
  labelSelector: string,
  condition: (pods: V1Pod[]) => boolean,
  timeoutMs = 60_000,
): Promise<V1Pod[]> {
  const stop = new AbortController();
  const pods = new Map<string, V1Pod>();
  let settled: V1Pod[] | undefined;
  let failure: string | undefined;
  const check = () => {
    const current = [...pods.values()];
    if (!settled && condition(current)) {
      settled = current;
      stop.abort();
    }
  };
  const timer = setTimeout(() => stop.abort(), timeoutMs);
  await watchList<V1Pod>(
    kubeConfig,
    `/api/v1/namespaces/${namespace}/pods`,
    { labelSelector },
    {
      onRelist(items) {
        pods.clear();
        for (const pod of items) pods.set(pod.metadata!.name!, pod);
        check();
      },
      onEvent(type, pod) {
        if (type === 'DELETED') pods.delete(pod.metadata!.name!);
        else pods.set(pod.metadata!.name!, pod);
        check();
      },
      onError(error) {
        failure = error.message;
      },
    },
    stop.signal,
  );
  clearTimeout(timer);
  if (!settled) throw new Error(`pods ${labelSelector} in ${namespace} never matched the condition${failure ? ` (${failure})` : ''}`);
  return settled;
}

/** Running pods, none terminating. */
export function runningPods(pods: V1Pod[]): V1Pod[] {
  return pods.filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
}
