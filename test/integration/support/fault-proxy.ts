// A small HTTP proxy in front of the real API server, for fault tests: requests pass through (TLS to the
// server with the harness's CA, the client's own Authorization header) unless a rule matches, which then
// answers with an error status (401/403/404/429 with Retry-After/5xx), stalls the body, drops the
// connection, or lets the server commit and then drops the answer. `down()` refuses connections like a
// stopped API server. Loopback only; the client speaks plain HTTP to it.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

export type FaultAction =
  | { status: number; retryAfter?: number; reason?: string; message?: string }
  /** Headers sent, then nothing: a watch or log whose body stalls. */
  | { stall: true }
  /** The connection is closed before any answer. */
  | { drop: true }
  /** The request reaches the server (which commits it); the answer is dropped. */
  | { commitThenDrop: true };

export interface FaultRule {
  method?: string;
  /** Matched against the path with its query string. */
  path: RegExp;
  action: FaultAction;
  /** How many requests the rule answers; unlimited when absent. */
  times?: number;
}

export interface SeenRequest {
  method: string;
  path: string;
  /** What the proxy did: `pass` or the fault's kind. */
  outcome: string;
}

export class FaultProxy {
  readonly seen: SeenRequest[] = [];
  private rules: FaultRule[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly stalled = new Set<ServerResponse>();
  private server: Server | undefined;
  private port = 0;

  private constructor(
    private readonly upstream: URL,
    private readonly ca: Buffer | undefined,
  ) {}

  /** Starts a proxy in front of the cluster of `admin` (the harness kubeconfig). */
  static async start(admin: KubeConfig): Promise<FaultProxy> {
    const cluster = admin.getCurrentCluster()!;
    const ca = cluster.caData ? Buffer.from(cluster.caData, 'base64') : undefined;
    const proxy = new FaultProxy(new URL(cluster.server), ca);
    await proxy.listen();
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A KubeConfig like `source` (same user, same credentials) that talks to the proxy. */
  kubeConfigFor(source: KubeConfig): KubeConfig {
    const kc = new KubeConfig();
    const user = source.getCurrentUser()!;
    kc.loadFromOptions({
      // client-node refuses http:// unless told TLS is not verified (there is no TLS on this loopback hop).
      clusters: [{ name: 'through-proxy', server: this.url, skipTLSVerify: true }],
      users: [user],
      contexts: [{ name: 'through-proxy', cluster: 'through-proxy', user: user.name, namespace: 'default' }],
      currentContext: 'through-proxy',
    });
    return kc;
  }

  /** Adds a rule (checked before earlier ones); returns a function that removes it. */
  inject(rule: FaultRule): () => void {
    this.rules.unshift(rule);
    return () => {
      this.rules = this.rules.filter((r) => r !== rule);
    };
  }

  /** Removes every rule, ends stalled responses and forgets the requests seen. */
  clear(): void {
    this.rules = [];
    this.seen.length = 0;
    for (const response of this.stalled) response.destroy();
    this.stalled.clear();
  }

  /** Like a stopped API server: connections are refused until up(). */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  async up(): Promise<void> {
    if (!this.server) await this.listen(this.port);
  }

  async close(): Promise<void> {
    this.clear();
    await this.down();
  }

  private async listen(port = 0): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  private match(req: IncomingMessage): FaultRule | undefined {
    const rule = this.rules.find((r) => (!r.method || r.method === req.method) && r.path.test(req.url ?? ''));
    if (rule && rule.times !== undefined && --rule.times <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const rule = this.match(req);
    const note = (outcome: string) => this.seen.push({ method: req.method ?? '', path: req.url ?? '', outcome });
    const action = rule?.action;
    if (action && 'status' in action) {
      note(String(action.status));
      req.resume();
      const body = {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code: action.status,
        reason: action.reason ?? defaultReason(action.status),
        message: action.message ?? `injected ${action.status}`,
      };
      res.writeHead(action.status, {
        'content-type': 'application/json',
        ...(action.retryAfter !== undefined ? { 'retry-after': String(action.retryAfter) } : {}),
      });
      res.end(JSON.stringify(body));
      return;
    }
    if (action && 'drop' in action) {
      note('drop');
      req.socket.destroy();
      return;
    }
    if (action && 'stall' in action) {
      note('stall');
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      res.flushHeaders();
      this.stalled.add(res);
      res.on('close', () => this.stalled.delete(res));
      return;
    }
    const commitThenDrop = !!action && 'commitThenDrop' in action;
    note(commitThenDrop ? 'commit-then-drop' : 'pass');
    const upstream = httpsRequest(
      {
        host: this.upstream.hostname,
        port: this.upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.upstream.host },
        ca: this.ca,
      },
      (answer) => {
        if (commitThenDrop) {
          // The server has done the work: the client never hears of it.
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }
}

function defaultReason(status: number): string {
  const reasons: Record<number, string> = {
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return Object.hasOwn(reasons, status) ? reasons[status] : 'Unknown';
}
