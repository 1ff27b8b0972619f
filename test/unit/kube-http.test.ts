// src/kube/http.ts against a local plain-HTTP server: URL and credentials, ApiException on non-2xx (no
// redirects followed, no token in the message), the timeouts, the abort semantics deploy relies on, and
// the abortable sleep.
import assert from 'node:assert/strict';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApiException, KubeConfig } from '@kubernetes/client-node';
import { sleep } from '../../src/kube/abortable';
import { KubeTimeoutError } from '../../src/kube/errors';
import { openStream, requestJson, send } from '../../src/kube/http';

const TOKEN = 'sha256~not-a-real-token-0123456789';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let handler: Handler = (_req, res) => res.end('{}');
let server: http.Server;
let kubeConfig: KubeConfig;

before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    // The trailing slash is dropped before the path is appended.
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, skipTLSVerify: true }],
    users: [{ name: 'u', token: TOKEN }],
    contexts: [{ name: 'dev', cluster: 'c', user: 'u' }],
    currentContext: 'dev',
  });
});

after(() => {
  server.closeAllConnections();
  server.close();
});

describe('requestJson', () => {
  it('sends the path, the defined query values, Accept and the bearer token; parses the body', async () => {
    let seen: IncomingMessage | undefined;
    handler = (req, res) => {
      seen = req;
      res.end('{"kind":"PodList"}');
    };
    const body = await requestJson<{ kind: string }>(kubeConfig, '/api/v1/pods', { limit: 5, continue: undefined, watch: false });
    assert.deepEqual(body, { kind: 'PodList' });
    assert.equal(seen?.url, '/api/v1/pods?limit=5&watch=false');
    assert.equal(seen?.headers.accept, 'application/json');
    assert.equal(seen?.headers.authorization, `Bearer ${TOKEN}`);
  });

  it('throws ApiException with status, body and flattened headers; the message names the origin, not the token', async () => {
    handler = (_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json', 'X-Many': ['a', 'b'] });
      res.end('{"kind":"Status","message":"pods is forbidden"}');
    };
    const error = await requestJson(kubeConfig, '/api/v1/pods').catch((e: unknown) => e);
    assert.ok(error instanceof ApiException);
    assert.equal(error.code, 403);
    assert.equal(error.body, '{"kind":"Status","message":"pods is forbidden"}');
    assert.equal(error.headers['x-many'], 'a, b');
    assert.match(error.message, /HTTP 403 from http:\/\/127\.0\.0\.1:\d+/);
    assert.ok(!error.message.includes(TOKEN));
  });

  it('does not follow redirects', async () => {
    let hits = 0;
    handler = (_req, res) => {
      hits++;
      res.writeHead(302, { Location: '/elsewhere' });
      res.end();
    };
    const error = await requestJson(kubeConfig, '/api/v1/pods').catch((e: unknown) => e);
    assert.ok(error instanceof ApiException);
    assert.equal(error.code, 302);
    assert.equal(hits, 1);
  });

  it('times out a body that stalls', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('{"items":[');
    };
    const error = await requestJson(kubeConfig, '/api/v1/pods', {}, { timeoutMs: 100 }).catch((e: unknown) => e);
    assert.ok(error instanceof KubeTimeoutError, String(error));
  });
});

describe('openStream', () => {
  it('returns the 2xx response unread and bounds the time to headers', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('line 1\n');
    };
    const { response, cancel } = await openStream(
      kubeConfig,
      '/api/v1/namespaces/a/pods/b/log',
      {},
      { accept: '*/*', keepAliveMs: 30_000 },
    );
    let text = '';
    for await (const chunk of response) text += chunk;
    cancel();
    assert.equal(text, 'line 1\n');

    handler = () => undefined; // never answers
    const error = await openStream(kubeConfig, '/api/v1/pods', {}, { timeoutMs: 100 }).catch((e: unknown) => e);
    assert.ok(error instanceof KubeTimeoutError, String(error));
  });
});

describe('send', () => {
  it('sends the payload with its content type and returns the status, headers and text', async () => {
    let seen: { method?: string; type?: string; length?: string; body: string } | undefined;
    handler = (req, res, body) => {
      seen = { method: req.method, type: req.headers['content-type'], length: req.headers['content-length'], body };
      res.writeHead(201, { Warning: '299 - "would violate PodSecurity"' });
      res.end('{"kind":"ConfigMap"}');
    };
    const data = Buffer.from('{"kind":"ConfigMap"}');
    const response = await send(kubeConfig, {
      method: 'PATCH',
      path: '/api/v1/namespaces/a/configmaps/b',
      query: { fieldManager: 'fintech-k8s', dryRun: undefined },
      body: { data, contentType: 'application/apply-patch+yaml' },
      timeoutMs: 5_000,
    });
    assert.deepEqual(seen, { method: 'PATCH', type: 'application/apply-patch+yaml', length: String(data.length), body: data.toString() });
    assert.equal(response.status, 201);
    assert.equal(response.text, '{"kind":"ConfigMap"}');
    assert.equal(response.headers.warning, '299 - "would violate PodSecurity"');
  });

  it('rejects with an AbortError when cancelled or timed out mid-body', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('{"kind":');
    };
    const timedOut = await send(kubeConfig, { method: 'GET', path: '/api/v1/pods', timeoutMs: 100 }).catch((e: unknown) => e);
    assert.equal((timedOut as Error).name, 'AbortError');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const cancelled = await send(kubeConfig, { method: 'GET', path: '/api/v1/pods', timeoutMs: 5_000, signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    assert.equal((cancelled as Error).name, 'AbortError');
  });
});

describe('sleep', () => {
  it('resolves after the delay, or at once on abort', async () => {
    const started = Date.now();
    await sleep(20, new AbortController().signal);
    assert.ok(Date.now() - started >= 15);
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort();
    await pending;
  });
});
