// Minimal Kubernetes REST client on node:https, shared by cluster.mjs, kubelet.mjs and smoke.mjs.
// The harness may use Node built-ins only (no @kubernetes/client-node), and it must stay usable
// before the project's own npm dependencies are installed.
import https from 'node:https';
import fs from 'node:fs';

/**
 * @param {{server: string, ca: string|Buffer, token: string}} opts server = https://127.0.0.1:PORT
 */
export function restClient({ server, ca, token }) {
  const base = new URL(server);
  // A private agent: keep-alive sockets of the global agent would keep short scripts alive.
  const agent = new https.Agent({ ca, keepAlive: false });

  /** Sends one request; resolves {status, headers, text, json}. Never rejects on HTTP errors. */
  function request(method, path, body, contentType = 'application/json') {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        {
          agent,
          method,
          hostname: base.hostname,
          port: base.port,
          path,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
            ...(payload ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode, headers: res.headers, text, json });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like request() but throws unless the status is one of `ok` (default 2xx). */
  async function must(method, path, body, { ok, contentType } = {}) {
    const res = await request(method, path, body, contentType);
    const good = ok ? ok.includes(res.status) : res.status >= 200 && res.status < 300;
    if (!good) throw new Error(`${method} ${path} -> ${res.status}: ${res.text.slice(0, 500)}`);
    return res;
  }

  /**
   * Opens a streaming GET (watch, log follow). Calls onLine for each complete line and resolves
   * when the stream ends, for whatever reason, with {status, reason}; abort() ends it early.
   */
  function stream(path, onLine) {
    let req;
    const done = new Promise((resolve) => {
      req = https.get({ agent, hostname: base.hostname, port: base.port, path, headers: { Authorization: `Bearer ${token}` } }, (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          buf += c;
          let nl;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            onLine(line, res.statusCode);
          }
        });
        // 'end' = the server closed the body cleanly; 'aborted'/'error' = connection cut.
        res.on('end', () => resolve({ status: res.statusCode, reason: 'end', rest: buf }));
        res.on('aborted', () => resolve({ status: res.statusCode, reason: 'aborted', rest: buf }));
        res.on('error', (e) => resolve({ status: res.statusCode, reason: `error: ${e.message}`, rest: buf }));
      });
      req.on('error', (e) => resolve({ status: 0, reason: `error: ${e.message}`, rest: '' }));
    });
    return { done, abort: () => req.destroy() };
  }

  return { request, must, stream };
}

/** Reads cluster.json from the state dir and builds clients for the users it names. */
export function loadCluster(stateDir) {
  const info = JSON.parse(fs.readFileSync(`${stateDir}/cluster.json`, 'utf8'));
  const ca = fs.readFileSync(info.files.ca);
  const client = (user) => restClient({ server: info.server, ca, token: fs.readFileSync(info.files.tokens[user], 'utf8').trim() });
  return { info, client };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls fn() until it returns a truthy value or `ms` passes; returns that value or throws. */
export async function waitFor(what, fn, ms = 60_000, every = 250) {
  const until = Date.now() + ms;
  let last;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(every);
  }
  throw new Error(`timed out after ${ms / 1000}s waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
}
