// Turns what client-node, node's sockets and our own transport throw into one clear line for the tree
// ("Forbidden: cannot list pods in namespace restricted as user payments-dev"), never a stack trace,
// never a credential.

export type KubeErrorKind = 'forbidden' | 'unauthorized' | 'unreachable' | 'not-found' | 'timeout' | 'untrusted' | 'cancelled' | 'other';

export interface KubeErrorDescription {
  kind: KubeErrorKind;
  message: string;
}

/** What was being attempted, so the message can say it in the user's terms. */
export interface KubeRequestDescription {
  verb: string;
  /** Plural resource as the API names it: `pods`, `deployments`. */
  resource: string;
  namespace?: string;
  name?: string;
  context?: string;
  /** The kubeconfig user name; the identity the API server reports wins when it gives one. */
  user?: string;
  /** Cluster URL, for network errors. */
  server?: string;
}

/** Raised by our transport when the API server does not answer in time (connect, headers, or an idle stream). */
export class KubeTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  readonly code = 'ETIMEDOUT';
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`no answer from ${url} within ${timeoutMs} ms`);
  }
}

/**
 * The credential program of the kubeconfig user (an exec plugin, a gcp/azure `cmd-path`) ran and failed:
 * an expired SSO session, a missing login. Its own words (stderr) are the message.
 */
export class CredentialPluginError extends Error {
  override readonly name = 'CredentialPluginError';
  constructor(
    readonly command: string,
    readonly output: string,
    options?: { cause?: unknown },
  ) {
    super(`the exec plugin ${command} failed${output ? `: ${output}` : ''}`, options);
  }
}

/**
 * A kubeconfig user we will not (or cannot) authenticate as: an exec plugin in an untrusted workspace, an
 * unreadable token file. Thrown by the authenticator kubeconfig.ts installs, before any request is sent.
 */
export class UnusableCredentialsError extends Error {
  override readonly name = 'UnusableCredentialsError';
  constructor(
    message: string,
    readonly reason: 'exec-untrusted' | 'unreadable',
  ) {
    super(message);
  }
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ECONNABORTED: 'connection aborted',
  UND_ERR_SOCKET: 'connection closed',
};

const TLS_REASONS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate not signed by the configured certificate authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate not signed by the configured certificate authority',
  UNABLE_TO_GET_ISSUER_CERT: 'certificate not signed by the configured certificate authority',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in chain',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
  EPROTO: 'TLS protocol error',
};

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);

export function describeKubeError(error: unknown, what: KubeRequestDescription): KubeErrorDescription {
  const status = httpStatus(error);
  if (status !== undefined) return describeStatus(status, error, what);

  const chain = causeChain(error);
  if (chain.some((e) => e.name === 'AbortError' || e.code === 'ABORT_ERR')) return { kind: 'cancelled', message: 'Cancelled' };

  const plugin = chain.find((e): e is CredentialPluginError & ErrorLike => e instanceof CredentialPluginError);
  if (plugin) {
    const said = plugin.output ? `: ${oneLine(plugin.output)}` : '';
    return {
      kind: 'unauthorized',
      message: `Unauthorized: the exec plugin ${plugin.command}${userPart(what.user, ' of user ')} failed${said}`,
    };
  }

  const unusable = chain.find((e): e is UnusableCredentialsError & ErrorLike => e instanceof UnusableCredentialsError);
  if (unusable) return { kind: unusable.reason === 'exec-untrusted' ? 'untrusted' : 'unauthorized', message: oneLine(unusable.message) };

  const server = what.server ?? serverFromErrors(chain) ?? 'the API server';
  const timeout = chain.find((e) => e.name === 'TimeoutError' || (e.code !== undefined && TIMEOUT_CODES.has(String(e.code))));
  if (timeout) {
    const ms = (timeout as { timeoutMs?: unknown }).timeoutMs;
    const within = typeof ms === 'number' ? ` within ${formatSeconds(ms)}` : '';
    return { kind: 'timeout', message: `Timeout: ${server} did not answer${within}` };
  }

  for (const e of chain) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && (TLS_REASONS[code] || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))) {
      const reason = TLS_REASONS[code] ?? 'TLS handshake failed';
      return {
        kind: 'unreachable',
        message: `Unreachable: cannot verify ${server} (${reason}): check the cluster's certificate-authority`,
      };
    }
    if (code && NETWORK_REASONS[code])
      return { kind: 'unreachable', message: `Unreachable: cannot connect to ${server} (${NETWORK_REASONS[code]})` };
    if (/socket hang up/i.test(e.message ?? ''))
      return { kind: 'unreachable', message: `Unreachable: cannot connect to ${server} (connection closed)` };
  }

  // Exec plugins that are missing from PATH surface as spawn errors.
  const spawn = chain.find((e) => typeof e.syscall === 'string' && e.syscall.startsWith('spawn'));
  if (spawn) {
    const command = String(spawn.path ?? spawn.syscall?.slice('spawn '.length) ?? 'plugin');
    const reason = spawn.code === 'ENOENT' ? 'command not found' : String(spawn.code ?? 'failed');
    return {
      kind: 'unauthorized',
      message: `Unauthorized: the exec plugin ${command}${userPart(what.user, ' of user ')} could not run (${reason})`,
    };
  }

  const message = chain.map((e) => e.message).find((m) => m && m.trim()) ?? String(error);
  return { kind: 'other', message: `Error: ${oneLine(message)}` };
}

function describeStatus(status: number, error: unknown, what: KubeRequestDescription): KubeErrorDescription {
  const body = statusBody(error);
  const serverMessage = body?.message ? oneLine(body.message) : undefined;
  const target = `${what.resource}${what.name ? `/${what.name}` : ''}`;
  const where = what.namespace ? ` in namespace ${what.namespace}` : '';

  switch (status) {
    case 401:
      return {
        kind: 'unauthorized',
        message: `Unauthorized: the credentials${userPart(what.user, ' of user ')} were rejected (expired token?) — log in again`,
      };
    case 403: {
      // RBAC denials read `… is forbidden: User "x" cannot list resource …`; admission and others differ.
      const rbac = /is forbidden: User "([^"]*)" cannot/.exec(body?.message ?? '');
      if (!rbac && serverMessage) return { kind: 'forbidden', message: `Forbidden: ${serverMessage}` };
      const scope = what.namespace ? where : ' at cluster scope';
      return {
        kind: 'forbidden',
        message: `Forbidden: cannot ${what.verb} ${target}${scope}${userPart(rbac?.[1] ?? what.user, ' as user ')}`,
      };
    }
    case 404:
      if (what.name) return { kind: 'not-found', message: `Not found: ${target}${where}` };
      return { kind: 'not-found', message: `Not found: this cluster does not serve ${what.resource}` };
    case 408:
    case 504:
      return { kind: 'timeout', message: `Timeout: the API server timed out trying to ${what.verb} ${target}${where}` };
    case 429:
      return { kind: 'other', message: `Too many requests: the API server is throttling ${what.verb} ${target}; try again shortly` };
    default: {
      const detail = serverMessage ? `: ${serverMessage}` : '';
      if (status >= 500)
        return { kind: 'other', message: `Server error ${status} while trying to ${what.verb} ${target}${where}${detail}` };
      return { kind: 'other', message: `Rejected (${status}) ${what.verb} ${target}${where}${detail}` };
    }
  }
}

/** The HTTP status of an API error: client-node's ApiException (`code`), its Watch (`statusCode`), 0.x HttpError. */
export function httpStatus(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { code?: unknown; statusCode?: unknown; response?: { statusCode?: unknown } };
  for (const candidate of [e.code, e.statusCode, e.response?.statusCode]) {
    if (typeof candidate === 'number' && candidate >= 100 && candidate < 600) return candidate;
  }
  return undefined;
}

interface StatusBody {
  message?: string;
  reason?: string;
}

/** The API server's `Status` object, whether the body arrived as a string or was parsed. */
export function statusBody(error: unknown): StatusBody | undefined {
  const body = (error as { body?: unknown })?.body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body);
      return parsed && typeof parsed === 'object' ? parsed : undefined;
    } catch {
      return body.trim() ? { message: body } : undefined;
    }
  }
  return body && typeof body === 'object' ? (body as StatusBody) : undefined;
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: unknown;
  syscall?: string;
  path?: unknown;
  address?: unknown;
  port?: unknown;
  url?: unknown;
}

function causeChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && chain.length < 5 && !chain.includes(current as ErrorLike)) {
    chain.push(current as ErrorLike);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function serverFromErrors(chain: ErrorLike[]): string | undefined {
  for (const e of chain) {
    if (typeof e.url === 'string') return origin(e.url);
    // node-fetch: "request to https://host:port/path failed, reason: …"
    const match = /request to (\S+) failed/.exec(e.message ?? '');
    if (match) return origin(match[1]);
    if (typeof e.address === 'string' && e.port !== undefined) return `${e.address}:${e.port}`;
  }
  return undefined;
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function userPart(user: string | undefined, prefix: string): string {
  return user ? `${prefix}${user}` : '';
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** One line, bounded, with anything that looks like a credential removed (plugin stderr can echo tokens). */
export function oneLine(text: string): string {
  const flat = scrubCredentials(text).replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}

export function scrubCredentials(text: string): string {
  return text
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 <redacted>')
    .replace(/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '<redacted-jwt>')
    .replace(/\b((?:access|refresh|id)?[-_]?token|password|secret|client[-_]?key)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1$2<redacted>');
}
