// Raw JSON requests to the API server with the kubeconfig's auth (tokens, certificates, exec plugins, OIDC,
// proxies all come from client-node's applyToHTTPSOptions). Deploy needs what the typed clients hide:
// the manifest sent byte for byte (client-node's serializer drops unknown fields and `x-kubernetes-*` keys
// of CRD schemas), the response as plain JSON (no Date objects), the Status body of errors and the
// `Warning` headers (Pod Security "would violate" warnings arrive only there).
import { ApiException, type KubeConfig } from '@kubernetes/client-node';
import { sleep } from '../abortable';
import { send } from '../http';

export const FIELD_MANAGER = 'fintech-k8s';
const DEFAULT_TIMEOUT_MS = 30_000;

/** The API's metav1.Status, as far as deploy reads it. */
export interface ApiStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; group?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

/** A non-2xx answer. The message is the API's own (it never carries credentials). */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiStatus,
    readonly warnings: string[] = [],
  ) {
    super(body.message || `HTTP ${status}${body.reason ? ` ${body.reason}` : ''}`);
    this.name = 'KubeApiError';
  }
  get reason(): string | undefined {
    return this.body.reason;
  }
}

export interface ApiRequest {
  method: 'GET' | 'PATCH' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | boolean | number | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  warnings: string[];
}

export async function apiRequest<T = unknown>(kc: KubeConfig, request: ApiRequest): Promise<ApiResponse<T>> {
  if (!kc.getCurrentCluster()) throw new Error(`kubeconfig context "${kc.getCurrentContext()}" has no cluster`);
  const payload = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await send(kc, {
        method: request.method,
        path: request.path,
        query: request.query,
        body: payload && { data: payload, contentType: request.contentType ?? 'application/json' },
        signal: request.signal,
        timeoutMs: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      });
      return { status: response.status, body: parseJson(response.text) as T, warnings: parseWarnings(response.headers.warning) };
    } catch (error) {
      if (!(error instanceof ApiException)) throw error;
      const wait = retryDelayMs(error, attempt);
      if (wait !== undefined && !request.signal?.aborted) {
        await sleep(wait, request.signal ?? new AbortController().signal);
        if (!request.signal?.aborted) continue;
      }
      const text = String(error.body);
      const parsed = parseJson(text);
      const body = parsed && typeof parsed === 'object' ? (parsed as ApiStatus) : { message: text.trim().slice(0, 500) || undefined };
      throw new KubeApiError(error.code, body, parseWarnings(error.headers.warning));
    }
  }
}

/** Tries of one request when the server says "too many requests" or "unavailable, retry after". */
const MAX_ATTEMPTS = 4;
/** A longer Retry-After is reported rather than waited for. */
const MAX_RETRY_AFTER_MS = 30_000;

/**
 * How long to wait before trying again, or undefined to give up. 429 (API priority and fairness, rate
 * limits) means the request was not processed: wait as Retry-After says (1 s without one). A 503 is
 * retried only when the server sends Retry-After, which it does when it did not process the request.
 */
function retryDelayMs(error: ApiException<unknown>, attempt: number): number | undefined {
  if (attempt >= MAX_ATTEMPTS || (error.code !== 429 && error.code !== 503)) return undefined;
  const header = error.headers?.['retry-after'];
  if (error.code === 503 && header === undefined) return undefined;
  const ms = retryAfterMs(header) ?? 1_000;
  return ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
}

/** `Retry-After`: seconds, or an HTTP date. */
function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The body as JSON; undefined when empty or not JSON. */
function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** `Warning: 299 - "text"` headers (RFC 7234 form, as the API server sends them) → texts. */
export function parseWarnings(header: string | string[] | undefined): string[] {
  if (!header) return [];
  const values = Array.isArray(header) ? header : [header];
  const warnings: string[] = [];
  for (const value of values) {
    // Several warnings may share one header, comma-separated; each text is a quoted string.
    for (const match of value.matchAll(/\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/g)) warnings.push(match[1].replace(/\\(.)/g, '$1'));
  }
  return warnings;
}

/** One resource type as discovery describes it. */
export interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
}

const discoveryCache = new WeakMap<KubeConfig, Map<string, Promise<ApiResource[]>>>();

/**
 * The resource (plural name, scope) serving apiVersion/kind, or undefined when the cluster does not serve it
 * (e.g. a custom resource whose CRD is not installed yet). Cached per KubeConfig; a miss re-asks once, because
 * a CRD applied a moment ago adds kinds.
 */
export async function resolveResource(
  kc: KubeConfig,
  apiVersion: string,
  kind: string,
  signal?: AbortSignal,
): Promise<ApiResource | undefined> {
  let cache = discoveryCache.get(kc);
  if (!cache) discoveryCache.set(kc, (cache = new Map()));
  const lookup = async (fresh: boolean) => {
    let entry = fresh ? undefined : cache.get(apiVersion);
    if (!entry) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      entry = apiRequest<{ resources?: ApiResource[] }>(kc, { method: 'GET', path, signal }).then(
        (response) => (response.body.resources ?? []).filter((r) => !r.name.includes('/')),
        (error: unknown) => {
          cache.delete(apiVersion);
          if (error instanceof KubeApiError && error.status === 404) return [];
          throw error;
        },
      );
      cache.set(apiVersion, entry);
    }
    return (await entry).find((r) => r.kind === kind);
  };
  return (await lookup(false)) ?? (await lookup(true));
}

/** URL path of one object (or, without a name, of its collection). */
export function objectPath(apiVersion: string, resource: ApiResource, namespace: string | undefined, name?: string): string {
  const root = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const scope = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root}${scope}/${resource.name}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}
