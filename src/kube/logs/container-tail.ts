// Follows ONE container's log: asks the server for timestamps (needed to resume), reconnects when the
// stream ends while the pod still runs (through the API server a dropped kubelet connection looks like a
// normal end), resumes from the last delivered second and drops the replayed lines, redacts, and strips
// the timestamps again when the user did not ask for them.
import type { KubeConfig } from '@kubernetes/client-node';
import { sleep } from '../abortable';
import { describeKubeError, httpStatus } from '../errors';
import { targetNames } from '../watch';
import { LineHandlerError, openLogStream, readLines, type LogQuery } from './log-request';
import { createRedactor } from './redact';
import { ResumePoint, splitTimestamp, wholeSecond } from './resume';

export interface LogSink {
  /** One log line; `prefix` is `[pod/container]`. */
  line(prefix: string, text: string): void;
  /** Something about the streams themselves: a pod joined or went away, a reconnect, an error. */
  status(message: string): void;
}

/** After a follow stream ended: follow on, or stop (the pod is gone, the container finished). */
export type ResumeDecision = { resume: true } | { resume: false; message?: string };

export interface ContainerTailParams {
  kubeConfig: KubeConfig;
  namespace: string;
  pod: string;
  container: string;
  follow: boolean;
  timestamps: boolean;
  redact: boolean | (() => boolean);
  /** The user's window, for the first request only (resumes use sinceTime). */
  tailLines?: number;
  sinceSeconds?: number;
  sink: LogSink;
  /** Asked each time a follow stream ends. */
  shouldResume: () => Promise<ResumeDecision>;
  signal: AbortSignal;
}

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5_000;
/** A stream that delivered lines or lived this long was healthy: reconnect at once. */
const HEALTHY_STREAM_MS = 5_000;

export function containerPrefix(pod: string, container: string): string {
  return `[${pod}/${container}]`;
}

/**
 * Resolves when the container's log is done (plain read finished, or the follow was stopped or aborted).
 * Rejects only with what the sink threw.
 */
export async function tailContainer(params: ContainerTailParams): Promise<void> {
  const { kubeConfig, namespace, pod, container, follow, sink, signal } = params;
  const prefix = containerPrefix(pod, container);
  const redactor = createRedactor();
  const setting = params.redact;
  const redact = (line: string) => ((typeof setting === 'function' ? setting() : setting) ? redactor(line) : line);
  const resume = new ResumePoint();
  let opened = false;
  /** Where to resume when no line has arrived yet: the server's clock at the first connect. */
  let firstConnect: string | undefined;
  let failures = 0;
  let lastProblem: string | undefined;

  /** Shows the line unless a resumed stream replays it; true when shown. */
  const deliver = (raw: string): boolean => {
    const parsed = splitTimestamp(raw);
    if (!parsed) {
      // Not `<timestamp> <text>` (a server that ignores timestamps=true): show it, it cannot be deduplicated.
      sink.line(prefix, redact(raw));
      return true;
    }
    if (!resume.accept(parsed.nanos, parsed.text)) return false;
    const text = redact(parsed.text);
    sink.line(prefix, params.timestamps ? `${parsed.timestamp} ${text}` : text);
    return true;
  };

  while (!signal.aborted) {
    const query: LogQuery = { container, follow, timestamps: true };
    if (!opened) {
      query.tailLines = params.tailLines;
      query.sinceSeconds = params.sinceSeconds;
    } else {
      query.sinceTime = resume.sinceTime() ?? firstConnect;
    }
    const startedAt = Date.now();
    let fresh = 0;
    try {
      const { response, serverDate } = await openLogStream(kubeConfig, namespace, pod, query, signal);
      firstConnect ??= wholeSecond(BigInt(serverDate?.getTime() ?? Date.now()) * 1_000_000n);
      if (opened) resume.beginReplay();
      opened = true;
      if (lastProblem) sink.status(`${prefix} log stream open again`);
      lastProblem = undefined;
      await readLines(
        response,
        (raw) => {
          if (deliver(raw)) fresh++;
        },
        signal,
        !follow,
      );
    } catch (error) {
      // The sink failed: a bug on the caller's side, not a stream problem; retrying would not help.
      if (error instanceof LineHandlerError) throw error.original;
      if (signal.aborted) return;
      const status = httpStatus(error);
      const message = describeKubeError(error, {
        verb: 'get',
        resource: 'pods/log',
        namespace,
        name: pod,
        ...targetNames(kubeConfig),
      }).message;
      // 404: the pod is gone; 401/403: retrying will not help. 400 (container not started yet) and
      // network errors are worth retrying while following.
      const fatal = status === 401 || status === 403 || status === 404;
      if (fatal || !follow) {
        sink.status(`${prefix} ${message}`);
        return;
      }
      if (message !== lastProblem) sink.status(`${prefix} ${message}; retrying`);
      lastProblem = message;
      failures++;
      await sleep(backoff(failures), signal);
      continue;
    }
    if (!follow || signal.aborted) return;

    const decision = await params.shouldResume();
    if (signal.aborted) return;
    if (!decision.resume) {
      if (decision.message) sink.status(`${prefix} ${decision.message}`);
      return;
    }
    // A stream that only replayed old lines and ended at once (a stopped container waiting for its
    // restart) is retried with growing delays and without a message each time.
    const healthy = fresh > 0 || Date.now() - startedAt >= HEALTHY_STREAM_MS;
    if (healthy || failures === 0) sink.status(`${prefix} log stream ended; resuming from ${resume.sinceTime() ?? firstConnect}`);
    failures = healthy ? 0 : failures + 1;
    if (failures > 0) await sleep(backoff(failures), signal);
  }
}

function backoff(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (failures - 1));
}
