// Cluster faults against the real API server, as the user meets them: a proxy in front of it injects
// 401/403/404, 429 with Retry-After, 5xx, stalled bodies, dropped connections and a server that goes away
// (test/integration/support/fault-proxy.ts); a wrong CA and a failing exec plugin talk to the server
// directly. Each test asserts what the user sees: a clear message, a per-object report, nothing applied
// silently.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { after, afterEach, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { apiRequest } from '../../src/kube/deploy/api';
import { applyPlan } from '../../src/kube/deploy/apply';
import { dryRunPlan } from '../../src/kube/deploy/dry-run';
import { planDeploy, type PlannedObject } from '../../src/kube/deploy/plan';
import { listNamespaces } from '../../src/kube/explorer';
import { loadKubeConfig } from '../../src/kube/kubeconfig';
import { tailContainer } from '../../src/kube/logs/container-tail';
import { watchList } from '../../src/kube/watch';
import { adminKubeConfig, clusterSkipReason } from './support/cluster';
import { FaultProxy } from './support/fault-proxy';

const RUN = `${process.pid}-${Date.now().toString(36)}`;

const configMaps = (...names: string[]) =>
  names.map((name) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  key: value-${name}\n`).join('---\n');

describe('cluster faults against the real API server', { skip: clusterSkipReason() }, () => {
  let admin: KubeConfig;
  let proxy: FaultProxy;
  let kc: KubeConfig;
  let namespace: string;
  let scratch: string;

  const plan = (...names: string[]): PlannedObject[] => {
    const result = planDeploy(configMaps(...names), 'faults.yaml', { namespace });
    assert.deepEqual(result.errors, []);
    return result.objects;
  };
  const live = async (name: string) =>
    apiRequest(admin, { method: 'GET', path: `/api/v1/namespaces/${namespace}/configmaps/${name}` }).then(
      () => true,
      () => false,
    );
  const configMapPath = (name: string) => new RegExp(`/namespaces/${namespace}/configmaps/${name}(\\?|$)`);

  before(async () => {
    admin = adminKubeConfig();
    proxy = await FaultProxy.start(admin);
    kc = proxy.kubeConfigFor(admin);
    namespace = `faults-${RUN}`.slice(0, 63);
    await apiRequest(admin, {
      method: 'POST',
      path: '/api/v1/namespaces',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    });
    scratch = mkdtempSync(join(tmpdir(), 'fintech-k8s-faults-'));
  });

  afterEach(async () => {
    proxy.clear();
    await proxy.up();
  });

  after(async () => {
    await proxy?.close();
    if (namespace) await apiRequest(admin, { method: 'DELETE', path: `/api/v1/namespaces/${namespace}` }).catch(() => undefined);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  describe('deploy', () => {
    it('429 with Retry-After during apply: waits as told, then the apply goes on', async () => {
      proxy.inject({ method: 'PATCH', path: configMapPath('rate-b'), action: { status: 429, retryAfter: 1 }, times: 2 });
      const report = await applyPlan(kc, plan('rate-a', 'rate-b', 'rate-c'));
      assert.equal(report.ok, true, JSON.stringify(report.failed?.failure.message));
      assert.deepEqual(
        report.applied.map((o) => o.name),
        ['rate-a', 'rate-b', 'rate-c'],
      );
      const patches = proxy.seen.filter((r) => r.method === 'PATCH' && configMapPath('rate-b').test(r.path)).map((r) => r.outcome);
      assert.deepEqual(patches, ['429', '429', 'pass']);
      for (const name of ['rate-a', 'rate-b', 'rate-c']) assert.ok(await live(name), name);
    });

    it('429 that does not end: reported on that object, the rest not attempted', async () => {
      proxy.inject({ method: 'PATCH', path: configMapPath('busy-b'), action: { status: 429, retryAfter: 0 } });
      const report = await applyPlan(kc, plan('busy-a', 'busy-b', 'busy-c'));
      assert.equal(report.ok, false);
      assert.deepEqual(
        report.results.map((r) => `${r.planned.name}:${r.state}`),
        ['busy-a:applied', 'busy-b:failed', 'busy-c:not-attempted'],
      );
      assert.equal(report.failed?.failure.status, 429);
      assert.equal(await live('busy-c'), false, 'nothing applied after the failure');
    });

    it('503 during apply: the report says exactly what was applied and what was not', async () => {
      proxy.inject({ method: 'PATCH', path: configMapPath('down-b'), action: { status: 503, message: 'etcd leader changed' } });
      const report = await applyPlan(kc, plan('down-a', 'down-b', 'down-c'));
      assert.deepEqual(
        report.results.map((r) => `${r.planned.name}:${r.state}`),
        ['down-a:applied', 'down-b:failed', 'down-c:not-attempted'],
      );
      assert.equal(report.failed?.failure.status, 503);
      assert.match(report.failed!.failure.message, /etcd leader changed/);
      assert.deepEqual([await live('down-a'), await live('down-b'), await live('down-c')], [true, false, false]);
    });

    it('500 during the dry run: each object says what the server answered, nothing is applied', async () => {
      proxy.inject({
        method: 'PATCH',
        path: /dryRun=All/,
        action: { status: 500, message: 'Internal error occurred: admission webhook unreachable' },
      });
      const outcomes = await dryRunPlan(kc, plan('dry-a', 'dry-b'));
      assert.equal(outcomes.length, 2);
      for (const outcome of outcomes) {
        assert.equal(outcome.ok, false);
        if (outcome.ok) continue;
        assert.equal(outcome.status, 500);
        assert.match(outcome.message, /admission webhook unreachable/);
      }
      assert.deepEqual([await live('dry-a'), await live('dry-b')], [false, false]);
    });

    it('a token revoked mid-apply: Unauthorized on that object, nothing after it', async () => {
      proxy.inject({
        path: new RegExp(`/namespaces/${namespace}/configmaps/revoked-[bc]`),
        action: { status: 401, message: 'Unauthorized' },
      });
      const report = await applyPlan(kc, plan('revoked-a', 'revoked-b', 'revoked-c'));
      assert.deepEqual(
        report.results.map((r) => `${r.planned.name}:${r.state}`),
        ['revoked-a:applied', 'revoked-b:failed', 'revoked-c:not-attempted'],
      );
      assert.equal(report.failed?.failure.status, 401);
      assert.deepEqual([await live('revoked-a'), await live('revoked-b'), await live('revoked-c')], [true, false, false]);
    });

    it('the API server going down mid-apply: the object that met it failed, not applied, the rest not attempted', async () => {
      let downed: Promise<void> | undefined;
      const report = await applyPlan(kc, plan('gone-a', 'gone-b', 'gone-c'), {
        onProgress: (progress) => {
          if (progress.index === 1 && !progress.result) downed = proxy.down();
        },
      });
      await downed;
      assert.deepEqual(
        report.results.map((r) => `${r.planned.name}:${r.state}`),
        ['gone-a:applied', 'gone-b:failed', 'gone-c:not-attempted'],
      );
      assert.equal(report.failed?.failure.category, 'unreachable');
      assert.match(report.failed!.failure.message, /ECONNREFUSED|connect/);
      assert.doesNotMatch(report.failed!.failure.message, /may have been applied/, 'a refused connection proves nothing was sent');
      assert.deepEqual([await live('gone-a'), await live('gone-b')], [true, false]);
    });

    it('no answer after the server committed: the report says the object may have been applied', async () => {
      proxy.inject({ method: 'PATCH', path: configMapPath('lost-b'), action: { commitThenDrop: true }, times: 1 });
      const report = await applyPlan(kc, plan('lost-a', 'lost-b', 'lost-c'));
      assert.deepEqual(
        report.results.map((r) => `${r.planned.name}:${r.state}`),
        ['lost-a:applied', 'lost-b:failed', 'lost-c:not-attempted'],
      );
      assert.match(report.failed!.failure.message, /may have been applied: check the live object/);
      assert.equal(await live('lost-b'), true, 'the server did apply it');
    });
  });

  describe('log tail', () => {
    /** Tails a pod's log through the proxy answering `fault`; ends on its own, or once `until` holds. */
    const tail = async (fault: { status: number; retryAfter?: number }, until?: () => boolean) => {
      proxy.inject({ method: 'GET', path: /\/pods\/ghost\/log/, action: fault });
      const statuses: string[] = [];
      const controller = new AbortController();
      const done = tailContainer({
        kubeConfig: kc,
        namespace,
        pod: 'ghost',
        container: 'app',
        follow: true,
        timestamps: false,
        redact: true,
        sink: { line: () => undefined, status: (message) => statuses.push(message) },
        shouldResume: async () => ({ resume: false }),
        signal: controller.signal,
      });
      if (until) {
        await waitUntil(until, 60_000);
        controller.abort();
      }
      await done;
      return statuses;
    };
    const logRequests = () => proxy.seen.filter((r) => r.path.includes('/pods/ghost/log')).length;

    for (const [status, expected] of [
      [401, /Unauthorized/],
      [403, /Forbidden/],
      [404, /not found|NotFound|Not found/i],
    ] as const) {
      it(`${status} on opening the log: one clear message, and the tail stops`, async () => {
        const statuses = await tail({ status });
        assert.equal(statuses.length, 1, statuses.join('\n'));
        assert.match(statuses[0], /^\[ghost\/app\] /);
        assert.match(statuses[0], expected);
        assert.equal(logRequests(), 1, 'not retried');
      });
    }

    it('503 on opening a followed log: said once, and retried', async () => {
      const statuses = await tail({ status: 503 }, () => logRequests() >= 3);
      assert.equal(statuses.length, 1, `said once over ${logRequests()} attempts: ${statuses.join(' | ')}`);
      assert.match(statuses[0], /^\[ghost\/app\] .*; retrying$/);
    });
  });

  describe('watch', () => {
    it('a token revoked during a watch: the watch stops and says Unauthorized', async () => {
      const errors: { message: string; retrying: boolean }[] = [];
      const controller = new AbortController();
      let listed = false;
      const watching = watchList(
        kc,
        `/api/v1/namespaces/${namespace}/configmaps`,
        {},
        {
          onRelist: () => {
            listed = true;
            // Revoked from now on: the watch request and any re-list get 401.
            proxy.inject({ path: new RegExp(`/namespaces/${namespace}/configmaps`), action: { status: 401 } });
          },
          onEvent: () => undefined,
          onError: (error, state) => errors.push({ message: error.message, retrying: state.retrying }),
        },
        controller.signal,
        { initialDelayMs: 50, maxDelayMs: 200 },
      );
      await watching;
      assert.ok(listed);
      assert.equal(errors.at(-1)?.retrying, false, JSON.stringify(errors));
      assert.match(errors.at(-1)!.message, /Unauthorized/);
    });

    it('a watch whose body stalls is dropped by its idle guard and resumed: later events still arrive', { timeout: 120_000 }, async () => {
      proxy.inject({ method: 'GET', path: /watch=true/, action: { stall: true }, times: 1 });
      const controller = new AbortController();
      const added: string[] = [];
      const watching = watchList(
        kc,
        `/api/v1/namespaces/${namespace}/configmaps`,
        {},
        {
          onRelist: () => undefined,
          onEvent: (type, object) => {
            if (type === 'ADDED' && object.metadata?.name === 'after-stall') {
              added.push(object.metadata.name);
              controller.abort();
            }
          },
          onError: () => undefined,
        },
        controller.signal,
        { watchTimeoutSeconds: 1, initialDelayMs: 50 },
      );
      // Created once the stalled watch has been replaced by a working one.
      await waitUntil(() => proxy.seen.filter((r) => /watch=true/.test(r.path) && r.outcome === 'pass').length > 0, 90_000);
      await apiRequest(admin, {
        method: 'POST',
        path: `/api/v1/namespaces/${namespace}/configmaps`,
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-stall' } },
      });
      await watching;
      assert.deepEqual(added, ['after-stall']);
    });
  });

  describe('credentials and TLS, straight to the API server', () => {
    it('a wrong CA: refused, with a message that names the certificate authority', async () => {
      const cluster = admin.getCurrentCluster()!;
      const wrong = new KubeConfig();
      wrong.loadFromOptions({
        clusters: [
          { name: 'c', server: cluster.server, caData: Buffer.from(rootCertificates[0]).toString('base64'), skipTLSVerify: false },
        ],
        users: [admin.getCurrentUser()!],
        contexts: [{ name: 'c', cluster: 'c', user: admin.getCurrentUser()!.name }],
        currentContext: 'c',
      });
      const result = await listNamespaces(wrong, { timeoutMs: 10_000 });
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.error.kind, 'unreachable');
      assert.match(result.error.message, /cannot verify .*certificate-authority/);
    });

    it('an exec plugin that fails at request time: Unauthorized, naming the plugin and what it said', async () => {
      const plugin = join(scratch, 'expired-sso');
      writeFileSync(plugin, '#!/bin/sh\necho "error: SSO session expired, run login" >&2\nexit 1\n');
      chmodSync(plugin, 0o755);
      const cluster = admin.getCurrentCluster()!;
      const file = join(scratch, 'exec.yaml');
      writeFileSync(
        file,
        yaml.dump({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'c', cluster: { server: cluster.server, 'certificate-authority-data': cluster.caData } }],
          users: [{ name: 'sso', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin } } }],
          contexts: [{ name: 'c', context: { cluster: 'c', user: 'sso' } }],
          'current-context': 'c',
        }),
      );
      const loaded = loadKubeConfig({ kubeconfigPaths: [file], allowExecAuth: true });
      const result = await listNamespaces(loaded.kubeConfig, { timeoutMs: 10_000 });
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.error.kind, 'unauthorized', result.error.message);
      assert.match(result.error.message, /expired-sso/);
    });
  });
});

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
