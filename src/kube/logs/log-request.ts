// One GET of a container's log through the API server (`/api/v1/namespaces/{ns}/pods/{pod}/log`), as a
// raw stream: client-node's Log class hides the HTTP status and the server's message, and we need both
// (a 400 "waiting to start" is retried, a 404 means the pod is gone).
import type { IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { openStream } from '../http';

export interface LogQuery {
  container: string;
  follow: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
}

export interface OpenLogStream {
  response: IncomingMessage;
  /** The API server's clock (`Date` header), whole seconds, when it sent one. */
  serverDate?: Date;
}

/** Time to the response headers; the body of a follow may then stay quiet for hours. */
const HEADERS_TIMEOUT_MS = 15_000;
/** A follow can be silent for long: TCP keep-alive lets the OS notice a dead link. */
const KEEPALIVE_MS = 30_000;

/** Opens the log stream. Rejects with client-node's ApiException on an HTTP error (so errors.ts describes it). */
export async function openLogStream(
  kubeConfig: KubeConfig,
  namespace: string,
  pod: string,
  query: LogQuery,
  signal: AbortSignal,
): Promise<OpenLogStream> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;
  // The body is read by readLines, which takes a dropped connection as an end (the tail decides to resume).
  const { response } = await openStream(
    kubeConfig,
    path,
    { ...query },
    {
      signal,
      accept: '*/*',
      timeoutMs: HEADERS_TIMEOUT_MS,
      keepAliveMs: KEEPALIVE_MS,
    },
  );
  const date = response.headers.date ? new Date(response.headers.date) : undefined;
  return { response, serverDate: date && !Number.isNaN(date.getTime()) ? date : undefined };
}

/** What onLine threw (the caller's sink): ends the read instead of escaping from a socket event handler. */
export class LineHandlerError extends Error {
  constructor(readonly original: unknown) {
    super('the log line handler failed', { cause: original });
  }
}

/**
 * A log line is shown up to this many characters, then marked as cut: a 200 MB line without a newline
 * must not pile up in memory nor stall the redactor and the output channel.
 */
export const MAX_LINE_CHARS = 16 * 1024;
/** Where a cut line may end early, so no token (a card number, a key) is shown in part. */
const TOKEN_CHAR = /[A-Za-z0-9+/=_.~-]/;
const TOKEN_BOUNDARY_SEARCH = 512;

/** Builds one line from chunks, keeping its first MAX_LINE_CHARS characters and counting the rest. */
class LineBuffer {
  private kept = '';
  private dropped = 0;

  get empty(): boolean {
    return this.kept === '' && this.dropped === 0;
  }

  append(part: string): void {
    if (this.dropped > 0) {
      this.dropped += part.length;
      return;
    }
    const room = MAX_LINE_CHARS - this.kept.length;
    if (part.length <= room) {
      this.kept += part;
      return;
    }
    this.kept += part.slice(0, room);
    this.dropped = part.length - room;
    // End the kept part before the token the cut runs through, when one starts not too far back.
    let end = this.kept.length;
    while (end > this.kept.length - TOKEN_BOUNDARY_SEARCH && end > 0 && TOKEN_CHAR.test(this.kept[end - 1])) end--;
    if (end > this.kept.length - TOKEN_BOUNDARY_SEARCH && end > 0) {
      this.dropped += this.kept.length - end;
      this.kept = this.kept.slice(0, end);
    }
  }

  /** The line, with a marker saying how much of it is not shown; the buffer starts the next line. */
  take(): string {
    const line = this.dropped > 0 ? `${this.kept} … [line cut: ${this.dropped} more characters not shown]` : this.kept;
    this.kept = '';
    this.dropped = 0;
    return line;
  }
}

/**
 * Calls onLine per complete line until the stream ends, breaks or `signal` aborts. A cut-off last line
 * (no newline) is passed on only when `keepPartial` (a plain read); a follow will fetch it again on resume.
 * Lines longer than MAX_LINE_CHARS are cut and marked. Rejects only with LineHandlerError.
 */
export function readLines(
  response: IncomingMessage,
  onLine: (line: string) => void,
  signal: AbortSignal,
  keepPartial: boolean,
): Promise<void> {
  return new Promise((resolve, reject) => {
    response.setEncoding('utf8');
    const pending = new LineBuffer();
    let ended = false;
    let failure: LineHandlerError | undefined;
    const handle = (line: string) => {
      try {
        onLine(line);
      } catch (error) {
        failure = new LineHandlerError(error);
        response.destroy();
      }
    };
    const finish = () => {
      signal.removeEventListener('abort', onAbort);
      if (ended && keepPartial && !pending.empty && !signal.aborted && !failure) handle(pending.take());
      if (failure) reject(failure);
      else resolve();
    };
    const onAbort = () => response.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    response.on('data', (chunk: string) => {
      // Only the new chunk is searched for newlines: a long line is never scanned twice.
      let start = 0;
      let newline: number;
      while ((newline = chunk.indexOf('\n', start)) >= 0) {
        if (signal.aborted || failure) return;
        pending.append(chunk.slice(start, newline));
        handle(pending.take());
        start = newline + 1;
      }
      if (start < chunk.length) pending.append(chunk.slice(start));
    });
    response.on('end', () => (ended = true));
    // A broken connection is, for us, just an end: the caller decides whether to resume.
    response.on('error', () => undefined);
    response.on('close', finish);
    if (signal.aborted) onAbort();
  });
}
