// The cluster layer's HTTP plumbing, shared by the explorer and watch (watch.ts), deploy (deploy/api.ts) and
// log tailing (logs/log-request.ts): plain node:http(s) requests through the kubeconfig's credentials
// (client-node's applyToHTTPSOptions: tokens, certificates, exec plugins, OIDC, proxies), with an AbortSignal
// and a timeout; any non-2xx answer is thrown as client-node's ApiException, so errors.ts reads them all the
// same way. Redirects are never followed: a 3xx is an error like any other non-2xx (the credentials must not
// be replayed to another host). Messages name only the server's origin, never the credentials.
//
// Three entry points, one per kind of exchange:
// - requestJson: GET one JSON document, one deadline for the headers and again for the body (explorer, lists);
// - openStream: GET whose body the caller reads as it arrives (watch, logs); the timeout covers the headers only;
// - send: any method with a payload and its content type (server-side apply, dry runs, discovery), the whole
//   exchange under one AbortSignal.timeout, with the response headers (deploy reads `Warning`).
import http, { type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { ApiException, type KubeConfig } from '@kubernetes/client-node';
import { CredentialPluginError, KubeTimeoutError, UnusableCredentialsError } from './errors';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  signal?: AbortSignal;
  /** Whole request for one-shot GETs; time to response headers for streams. Default 15 s. */
  timeoutMs?: number;
  accept?: string;
}

export interface StreamOptions extends RequestOptions {
  /** TCP keep-alive probes after this much silence, so the OS notices a dead link under a quiet stream. */
  keepAliveMs?: number;
}

export interface OpenStream {
  response: IncomingMessage;
  url: URL;
  /** Destroys the response (and so the connection); safe to call more than once. */
  cancel: () => void;
}

export interface SendRequest {
  method: 'GET' | 'PATCH' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Query;
  /** Sent byte for byte with this Content-Type (and its Content-Length). */
  body?: { data: Buffer; contentType: string };
  signal?: AbortSignal;
  /** The whole exchange: connect, headers and body. */
  timeoutMs: number;
}

export interface SendResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The whole body as UTF-8 (empty when there is none). */
  text: string;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const ERROR_BODY_LIMIT = 64 * 1024;
/**
 * Deploy reads the Status of its errors in full (a 409 conflict lists every contested field in its causes);
 * the API server's own request limit (3 MiB) keeps real ones far below this.
 */
const SEND_ERROR_BODY_LIMIT = 8 * 1024 * 1024;

/** GET a JSON document. Rejects with ApiException on HTTP errors, KubeTimeoutError, or the socket's error. */
export async function requestJson<T>(kubeConfig: KubeConfig, path: string, query: Query = {}, options: RequestOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { response, url, cancel } = await openStream(kubeConfig, path, query, { ...options, timeoutMs });
  // The same deadline covers the body: a server that stalls mid-list must not hang the tree.
  const timer = setTimeout(() => response.destroy(new KubeTimeoutError(url.origin, timeoutMs)), timeoutMs);
  try {
    // 'reject': a document cut short must fail as a dropped connection, not be parsed.
    const text = await readBody(response, Infinity, 'reject');
    return JSON.parse(text) as T;
  } finally {
    clearTimeout(timer);
    cancel();
  }
}

/**
 * GET whose 2xx response is returned unread: the caller reads the body and owns how its end, a drop or an
 * abort is taken (watch resumes after any end, the log tail takes a drop as a normal end). `timeoutMs`
 * (default 15 s) bounds the time to the response headers; the body may then stay quiet for as long as the
 * caller allows. Call `cancel` when done. Rejects with ApiException on HTTP errors, KubeTimeoutError, or the
 * socket's error.
 */
export async function openStream(kubeConfig: KubeConfig, path: string, query: Query, options: StreamOptions): Promise<OpenStream> {
  const { response, url } = await open(kubeConfig, {
    method: 'GET',
    path,
    query,
    accept: options.accept ?? 'application/json',
    signal: options.signal,
    headersTimeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    keepAliveMs: options.keepAliveMs,
    errorBodyLimit: ERROR_BODY_LIMIT,
  });
  return { response, url, cancel: () => response.destroy() };
}

/**
 * One exchange with the body read in full. The timeout is an AbortSignal.timeout joined to the caller's
 * signal, so a timeout or cancel anywhere (even mid-body) rejects with the request's AbortError (its
 * `cause` tells which). Rejects with ApiException (body and headers included, so `Warning` stays readable)
 * on HTTP errors.
 */
export async function send(kubeConfig: KubeConfig, request: SendRequest): Promise<SendResponse> {
  const signals = [AbortSignal.timeout(request.timeoutMs), ...(request.signal ? [request.signal] : [])];
  const { response, request: clientRequest } = await open(kubeConfig, {
    method: request.method,
    path: request.path,
    query: request.query ?? {},
    accept: 'application/json',
    body: request.body,
    signal: AbortSignal.any(signals),
    errorBodyLimit: SEND_ERROR_BODY_LIMIT,
  });
  // An abort mid-body reaches the request (AbortError) before the response (ECONNRESET "aborted"); the
  // request's error wins, so cancel and timeout stay recognisable.
  const requestFailed = new Promise<never>((_, reject) => clientRequest.once('error', reject));
  const text = await Promise.race([readBody(response, Infinity, 'reject'), requestFailed]);
  return { status: response.statusCode ?? 0, headers: response.headers, text };
}

interface OpenParams {
  method: SendRequest['method'];
  path: string;
  query: Query;
  accept: string;
  body?: SendRequest['body'];
  signal?: AbortSignal;
  /** Destroys the request with KubeTimeoutError when the response headers are not in by then. */
  headersTimeoutMs?: number;
  keepAliveMs?: number;
  errorBodyLimit: number;
}

/** Sends the request; resolves with the response on 2xx, throws ApiException otherwise. */
async function open(kubeConfig: KubeConfig, params: OpenParams): Promise<{ request: ClientRequest; response: IncomingMessage; url: URL }> {
  const { signal, headersTimeoutMs, keepAliveMs, body } = params;
  signal?.throwIfAborted();
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error(`The context ${kubeConfig.getCurrentContext() || '(none)'} names no cluster`);
  const url = new URL(cluster.server.replace(/\/+$/, '') + params.path);
  for (const [key, value] of Object.entries(params.query)) if (value !== undefined) url.searchParams.set(key, String(value));

  const headers: Record<string, string | number> = { Accept: params.accept };
  if (body) {
    headers['Content-Type'] = body.contentType;
    headers['Content-Length'] = body.data.length;
  }
  const requestOptions: https.RequestOptions = { method: params.method, headers };
  // Credentials, CA, client certificate, proxy agent; runs auth plugins (or refuses them, see kubeconfig.ts).
  try {
    await kubeConfig.applyToHTTPSOptions(requestOptions);
  } catch (error) {
    throw pluginFailure(kubeConfig, error) ?? error;
  }
  signal?.throwIfAborted();

  const transport = url.protocol === 'http:' ? http : https;
  const request = transport.request(url, { ...requestOptions, signal });
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const timer =
      headersTimeoutMs === undefined
        ? undefined
        : setTimeout(() => request.destroy(new KubeTimeoutError(url.origin, headersTimeoutMs)), headersTimeoutMs);
    if (keepAliveMs !== undefined) request.on('socket', (socket) => socket.setKeepAlive(true, keepAliveMs));
    request.on('response', (incoming) => {
      clearTimeout(timer);
      resolve(incoming);
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(Object.assign(error, { url: url.origin }));
    });
    request.end(body?.data);
  });

  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) return { request, response, url };
  // 'partial': an error body is context for the message; what arrived before a close is better than nothing.
  const text = await readBody(response, params.errorBodyLimit, 'partial').catch(() => '');
  response.destroy();
  throw new ApiException(status, `HTTP ${status} from ${url.origin}`, text, flatHeaders(response.headers));
}

/**
 * The body as UTF-8, at most `limit` characters (the rest is read and dropped). `cutShort` is what a close
 * before the end, without an error, means (Node reports most drops as an error first; this is the rest, a
 * destroy() without a reason):
 * - 'reject': the caller needs the whole body (requestJson and send parse it) — watch.ts's former readBody;
 * - 'partial': resolve with what arrived (error bodies) — log-request.ts's former readLimited.
 */
function readBody(response: IncomingMessage, limit: number, cutShort: 'reject' | 'partial'): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const text = () => Buffer.concat(chunks).toString('utf8').slice(0, limit);
    response.on('data', (chunk: Buffer) => {
      if (size < limit) chunks.push(chunk);
      size += chunk.length;
    });
    response.on('end', () => resolve(text()));
    response.on('error', reject);
    response.on('close', () => {
      if (cutShort === 'partial') resolve(text());
      else reject(new Error('connection closed while reading the response'));
    });
  });
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
}

/**
 * client-node reports a credential program that exited non-zero as a bare Error holding its stderr; name
 * the program, so the user sees whose complaint it is. Spawn failures (not found) keep their own form.
 */
function pluginFailure(kubeConfig: KubeConfig, error: unknown): CredentialPluginError | undefined {
  if (!(error instanceof Error) || error instanceof UnusableCredentialsError || (error as NodeJS.ErrnoException).syscall) return undefined;
  const user = kubeConfig.getCurrentUser();
  const command = user?.exec?.command ?? user?.authProvider?.config?.exec?.command ?? user?.authProvider?.config?.['cmd-path'];
  if (typeof command !== 'string' || !command) return undefined;
  const name = command.trim().split(/\s+/)[0].split('/').pop()!;
  return new CredentialPluginError(name, error.message.trim().split('\n')[0].slice(0, 300), { cause: error });
}
