// List + watch for the explorer tree (refresh without polling): paginated lists and streamed watches over
// http.ts's requests, which the explorer uses too.
import { StringDecoder } from 'node:string_decoder';
import { ApiException, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { sleep } from './abortable';
import { describeKubeError, KubeTimeoutError, type KubeErrorDescription } from './errors';
import { openStream, requestJson, type Query, type RequestOptions } from './http';
import { currentTarget } from './kubeconfig';

export type { Query } from './http';

/**
 * GET a newline-delimited stream (watch), calling onLine per complete line. Resolves when the server ends
 * the stream or onLine returns false; rejects on errors, on abort, and when nothing arrives for idleTimeoutMs.
 */
export async function streamLines(
  kubeConfig: KubeConfig,
  path: string,
  query: Query,
  options: RequestOptions & { idleTimeoutMs: number },
  onLine: (line: string) => boolean | void,
): Promise<void> {
  const { response, url, cancel } = await openStream(kubeConfig, path, query, options);
  try {
    await new Promise<void>((resolve, reject) => {
      const decoder = new StringDecoder('utf8');
      let pending = '';
      let idle: NodeJS.Timeout | undefined;
      const armIdle = () => {
        clearTimeout(idle);
        idle = setTimeout(() => response.destroy(new KubeTimeoutError(url.origin, options.idleTimeoutMs)), options.idleTimeoutMs);
      };
      let failure: Error | undefined;
      let ended = false;
      armIdle();
      response.on('data', (chunk: Buffer) => {
        armIdle();
        pending += decoder.write(chunk);
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (line && onLine(line) === false) {
            ended = true;
            response.destroy();
            return;
          }
        }
      });
      response.on('end', () => (ended = true));
      response.on('error', (error) => (failure ??= error));
      response.on('close', () => {
        clearTimeout(idle);
        if (options.signal?.aborted) reject(options.signal.reason ?? abortError());
        else if (ended && !failure) resolve();
        else reject(failure ?? Object.assign(new Error('connection closed by the server'), { code: 'ECONNRESET', url: url.origin }));
      });
    });
  } finally {
    cancel();
  }
}

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
}

// ---------------------------------------------------------------------------------------------------
// List + watch

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchHandlers<T extends KubernetesObject = KubernetesObject> {
  /** The full current set: on start and after every re-list (410 Gone, errors); replace what you show. */
  onRelist(items: T[]): void;
  onEvent(type: WatchEventType, object: T): void;
  /** `retrying` false means the watch has stopped (forbidden, unauthorized, untrusted, or too many failures). */
  onError(error: KubeErrorDescription, state: { retrying: boolean; attempt: number }): void;
}

export interface WatchParams {
  labelSelector?: string;
  fieldSelector?: string;
}

/** What watchList needs from the network; replaced by a fake in unit tests. */
export interface WatchTransport {
  list(path: string, query: Query, signal: AbortSignal): Promise<{ items: KubernetesObject[]; resourceVersion: string }>;
  /** Calls onEvent per watch event; resolves when the stream ends or onEvent returns false. */
  watch(path: string, query: Query, signal: AbortSignal, onEvent: (event: RawWatchEvent) => boolean | void): Promise<void>;
}

export interface RawWatchEvent {
  type: WatchEventType | 'BOOKMARK' | 'ERROR';
  object: KubernetesObject & { code?: number; reason?: string; message?: string };
}

export interface WatchOptions {
  transport?: WatchTransport;
  /** Consecutive failed attempts before giving up. Default 8. */
  maxAttempts?: number;
  /** First reconnect delay, doubled per failure up to maxDelayMs. Defaults 1 s and 30 s. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Server-side watch duration before a routine reconnect. Default 300 s. */
  watchTimeoutSeconds?: number;
}

const PAGE_SIZE = 500;

/**
 * Lists `path` (e.g. `/api/v1/namespaces/payments/configmaps`) then watches from the list's
 * resourceVersion, resuming after routine ends and dropped connections, re-listing on 410 Gone. Resolves
 * when `signal` aborts or the watch gives up (after telling onError).
 */
export async function watchList<T extends KubernetesObject = KubernetesObject>(
  kubeConfig: KubeConfig,
  path: string,
  params: WatchParams,
  handlers: WatchHandlers<T>,
  signal: AbortSignal,
  options: WatchOptions = {},
): Promise<void> {
  const transport = options.transport ?? httpWatchTransport(kubeConfig);
  const maxAttempts = options.maxAttempts ?? 8;
  const initialDelayMs = options.initialDelayMs ?? 1_000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const timeoutSeconds = options.watchTimeoutSeconds ?? 300;
  const query: Query = { labelSelector: params.labelSelector, fieldSelector: params.fieldSelector };
  const described = describePath(path);
  let resourceVersion: string | undefined;
  let failures = 0;

  while (!signal.aborted) {
    let verb = 'list';
    try {
      if (resourceVersion === undefined) {
        const list = await transport.list(path, query, signal);
        if (signal.aborted) return;
        resourceVersion = list.resourceVersion;
        handlers.onRelist(list.items as T[]);
      }
      verb = 'watch';
      const startedAt = Date.now();
      let received = 0;
      let streamError: Error | undefined;
      const watchQuery = { ...query, watch: true, resourceVersion, allowWatchBookmarks: true, timeoutSeconds };
      await transport.watch(path, watchQuery, signal, (event) => {
        if (signal.aborted) return false;
        if (event.type === 'ERROR') {
          const status = event.object;
          // 410 Gone: our resourceVersion was compacted away; only a fresh list can resume.
          if (status.code !== 410) streamError = new ApiException(status.code ?? 500, status.message ?? 'watch error', status, {});
          resourceVersion = undefined;
          return false;
        }
        received++;
        const version = event.object?.metadata?.resourceVersion;
        if (version) resourceVersion = version;
        if (event.type !== 'BOOKMARK') handlers.onEvent(event.type, event.object as T);
      });
      if (streamError) throw streamError;
      failures = 0;
      // A server or proxy that ends watches at once would otherwise make this loop spin.
      if (received === 0 && Date.now() - startedAt < 1_000) await sleep(initialDelayMs, signal);
    } catch (error) {
      if (signal.aborted) return;
      const description = describeKubeError(error, { verb, ...described, ...targetNames(kubeConfig) });
      failures++;
      const fatal = ['forbidden', 'unauthorized', 'untrusted', 'not-found', 'cancelled'].includes(description.kind);
      if (fatal || failures >= maxAttempts) {
        handlers.onError(description, { retrying: false, attempt: failures });
        return;
      }
      handlers.onError(description, { retrying: true, attempt: failures });
      await sleep(Math.min(maxDelayMs, initialDelayMs * 2 ** (failures - 1)), signal);
    }
  }
}

/** The real transport: paginated list, then a streamed watch. */
export function httpWatchTransport(kubeConfig: KubeConfig): WatchTransport {
  return {
    list: async (path, query, signal) => {
      const page = await listAllPages<KubernetesObject>(kubeConfig, path, query, { signal });
      return { items: page.items, resourceVersion: page.resourceVersion };
    },
    watch: (path, query, signal, onEvent) => {
      const seconds = Number(query.timeoutSeconds ?? 300);
      // Idle guard: the server ends the watch at timeoutSeconds; silence well past that means a dead link.
      return streamLines(kubeConfig, path, query, { signal, idleTimeoutMs: (seconds + 30) * 1000 }, (line) => {
        let event: RawWatchEvent;
        try {
          event = JSON.parse(line);
        } catch {
          return true;
        }
        return onEvent(event);
      });
    },
  };
}

/** Follows `continue` tokens; fills in kind/apiVersion, which list items omit but watch events carry. */
export async function listAllPages<T extends object>(
  kubeConfig: KubeConfig,
  path: string,
  query: Query,
  options: RequestOptions,
): Promise<{ items: T[]; resourceVersion: string }> {
  const items: T[] = [];
  let token: string | undefined;
  let resourceVersion = '';
  do {
    const page = await requestJson<{
      kind?: string;
      apiVersion?: string;
      metadata?: { continue?: string; resourceVersion?: string };
      items?: T[];
    }>(kubeConfig, path, { ...query, limit: PAGE_SIZE, continue: token }, options);
    const kind = page.kind?.replace(/List$/, '');
    for (const item of page.items ?? []) items.push({ apiVersion: page.apiVersion, kind, ...item } as T);
    token = page.metadata?.continue || undefined;
    resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
  } while (token);
  return { items, resourceVersion };
}

/** `/apis/apps/v1/namespaces/payments/deployments` → { resource: 'deployments', namespace: 'payments' }. */
export function describePath(path: string): { resource: string; namespace?: string } {
  const match = /^\/(?:api\/[^/]+|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/?]+)/.exec(path);
  return match ? { resource: match[2], namespace: match[1] } : { resource: path };
}

export function targetNames(kubeConfig: KubeConfig): { context?: string; user?: string; server?: string } {
  const { context, user, server } = currentTarget(kubeConfig);
  return { context, user, server };
}
