// The explorer's data layer against a real API server: contexts merged from two kubeconfig files, clear
// errors (forbidden, unreachable), workloads and pods with ready counts, secret names without values,
// and watches that see changes and survive a 410 Gone.
import assert from 'node:assert/strict';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubernetesObjectApi, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import {
  getLiveObject,
  listIngresses,
  listNamespaces,
  listNetworkPolicies,
  listPods,
  listSecretNames,
  listServices,
  listWorkloads,
  type Result,
} from '../../src/kube/explorer';
import { loadKubeConfig, withContext, type LoadedKubeConfig } from '../../src/kube/kubeconfig';
import { httpWatchTransport, watchList, type WatchEventType, type WatchTransport } from '../../src/kube/watch';
import { clusterSkipReason, testKubeconfigPath } from './support/cluster';
import { closedPort, contextNames, singleContextKubeconfig, splitKubeconfig, tempDir, type TempDir } from './support/kubeconfigs';

const NAMESPACE = `explorer-${process.pid}`;
const skip = clusterSkipReason();
// The RBAC-limited user and the fake kubelet (pods that turn Running without pulling images) are the harness's.
const harnessOnly =
  !skip && ['test-admin', 'dev-payments'].every((c) => contextNames(testKubeconfigPath()!).includes(c))
    ? false
    : 'needs the harness cluster (contexts test-admin and dev-payments, fake kubelet)';

function items<T>(result: Result<T>): T {
  if (!result.ok) assert.fail(`expected success, got ${result.error.kind}: ${result.error.message}`);
  return result.items;
}

/** Collects watch callbacks; `until` resolves once the recorded entries satisfy a condition. */
class WatchRecorder {
  readonly entries: { type: WatchEventType | 'RELIST'; names: string[] }[] = [];
  private waiters: { done: () => boolean; resolve: () => void }[] = [];

  record(type: WatchEventType | 'RELIST', objects: KubernetesObject[]): void {
    this.entries.push({ type, names: objects.map((o) => o.metadata!.name!) });
    this.waiters = this.waiters.filter((w) => (w.done() ? (w.resolve(), false) : true));
  }

  until(condition: (entries: WatchRecorder['entries']) => boolean): Promise<void> {
    if (condition(this.entries)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ done: () => condition(this.entries), resolve }));
  }

  next(type: WatchEventType | 'RELIST', name: string): Promise<void> {
    return this.until((entries) => entries.some((e) => e.type === type && e.names.includes(name)));
  }

  relists(): WatchRecorder['entries'] {
    return this.entries.filter((e) => e.type === 'RELIST');
  }
}

describe('explorer data layer against a real API server', { skip }, () => {
  let loaded: LoadedKubeConfig;
  let admin: KubeConfig;
  let api: KubernetesObjectApi;
  let dir: TempDir;

  before(async () => {
    loaded = loadKubeConfig({ kubeconfigPaths: [testKubeconfigPath()!], allowExecAuth: false });
    admin = loaded.kubeConfig;
    api = KubernetesObjectApi.makeApiClient(admin);
    dir = tempDir('fintech-k8s-explorer-');
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  });

  after(async () => {
    dir?.remove();
    await api?.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }).catch(() => undefined);
  });

  it(
    'lists the contexts of two kubeconfig files given in KUBECONFIG, first file winning the current context',
    { skip: harnessOnly },
    async () => {
      const { first, second } = splitKubeconfig(testKubeconfigPath()!, dir.path, 'dev-payments');
      const merged = loadKubeConfig({
        env: { KUBECONFIG: [first, join(dir.path, 'missing.yaml'), second].join(delimiter) },
        allowExecAuth: false,
      });

      assert.deepEqual(merged.files, [first, second]);
      assert.deepEqual(
        merged.contexts.map((c) => [c.name, c.user, c.namespace, c.authKind]),
        [
          ['test-admin', 'admin', undefined, 'token'],
          ['prod-payments', 'admin', 'payments', 'token'],
          ['dev-payments', 'payments-dev', 'payments', 'token'],
        ],
      );
      // The second file names dev-payments current; kubectl keeps the first file's choice.
      assert.equal(merged.currentContext, 'test-admin');
      assert.deepEqual(merged.problems, []);

      // The user defined only in the second file really authenticates.
      const dev = withContext(merged, 'dev-payments');
      assert.equal(dev.currentContext, 'dev-payments');
      assert.equal(merged.kubeConfig.getCurrentContext(), 'test-admin', 'switching works on a copy');
      assert.ok(Array.isArray(items(await listPods(dev.kubeConfig, 'payments'))));
    },
  );

  it('says who is forbidden what, in one line', { skip: harnessOnly }, async () => {
    const dev = withContext(loaded, 'dev-payments');
    const result = await listPods(dev.kubeConfig, 'restricted');
    assert.deepEqual(result, {
      ok: false,
      error: { kind: 'forbidden', message: 'Forbidden: cannot list pods in namespace restricted as user payments-dev' },
    });
    // Namespace-scoped users cannot list namespaces: the tree still gets the context's namespace, and the reason.
    assert.deepEqual(await listNamespaces(dev.kubeConfig, { fallbackNamespace: dev.namespace }), {
      ok: true,
      items: [{ name: 'payments', labels: {} }],
      warnings: [{ kind: 'forbidden', message: 'Forbidden: cannot list namespaces at cluster scope as user payments-dev' }],
    });
    const secrets = await listSecretNames(dev.kubeConfig, 'payments');
    assert.deepEqual(secrets, {
      ok: false,
      error: { kind: 'forbidden', message: 'Forbidden: cannot list secrets in namespace payments as user payments-dev' },
    });
  });

  it('reports an unreachable server as such, without hanging', { timeout: 20_000 }, async () => {
    const port = await closedPort();
    const path = singleContextKubeconfig(join(dir.path, 'closed.yaml'), `https://127.0.0.1:${port}`);
    const closed = loadKubeConfig({ kubeconfigPaths: [path], allowExecAuth: false });
    const result = await listWorkloads(closed.kubeConfig, 'default', { timeoutMs: 5_000 });
    assert.deepEqual(result, {
      ok: false,
      error: { kind: 'unreachable', message: `Unreachable: cannot connect to https://127.0.0.1:${port} (connection refused)` },
    });
  });

  it('shows a Deployment with its ready count, and its pods with containers', { skip: harnessOnly, timeout: 90_000 }, async () => {
    const labels = { app: 'ledger', tier: 'api' };
    await api.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ledger', namespace: NAMESPACE },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              { name: 'api', image: 'registry.example/ledger:1.0' },
              { name: 'audit', image: 'registry.example/audit:1.0' },
            ],
          },
        },
      },
    } as KubernetesObject);
    await api.create({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'settlement', namespace: NAMESPACE },
      spec: {
        schedule: '0 2 * * *',
        suspend: true,
        jobTemplate: {
          spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'run', image: 'registry.example/settle:1' }] } } },
        },
      },
    } as KubernetesObject);
    await waitForDeploymentReady(admin, NAMESPACE, 'ledger', 2);

    const workloads = items(await listWorkloads(admin, NAMESPACE));
    const ledger = workloads.find((w) => w.name === 'ledger');
    assert.deepEqual(
      {
        kind: ledger?.kind,
        ready: ledger?.ready,
        desired: ledger?.desired,
        selector: ledger?.selector,
        labelSelector: ledger?.labelSelector,
      },
      { kind: 'Deployment', ready: 2, desired: 2, selector: labels, labelSelector: 'app=ledger,tier=api' },
    );
    const cron = workloads.find((w) => w.name === 'settlement');
    assert.deepEqual(
      { kind: cron?.kind, schedule: cron?.schedule, suspended: cron?.suspended },
      { kind: 'CronJob', schedule: '0 2 * * *', suspended: true },
    );

    const pods = items(await listPods(admin, NAMESPACE, { labelSelector: ledger!.labelSelector }));
    assert.equal(pods.length, 2);
    for (const pod of pods) {
      assert.equal(pod.phase, 'Running');
      assert.equal(pod.ready, '2/2');
      assert.equal(pod.restarts, 0);
      assert.deepEqual(
        pod.containers.map((c) => [c.name, c.ready, c.state]),
        [
          ['api', true, 'running'],
          ['audit', true, 'running'],
        ],
      );
      assert.ok(pod.node, 'bound to a node');
      assert.equal(pod.ownerReferences[0]?.kind, 'ReplicaSet');
      assert.deepEqual(pod.labels.app, 'ledger');
    }
    assert.deepEqual(items(await listPods(admin, NAMESPACE, { labelSelector: 'app=nothing-here' })), []);

    // The compliance badge reads the live object without status and managed fields.
    const live = items(await getLiveObject(admin, 'apps/v1', 'Deployment', NAMESPACE, 'ledger')) as KubernetesObject & { status?: unknown };
    assert.equal(live.metadata?.name, 'ledger');
    assert.equal(live.status, undefined);
    assert.equal(live.metadata?.managedFields, undefined);
    const missing = await getLiveObject(admin, 'apps/v1', 'Deployment', NAMESPACE, 'nope');
    assert.deepEqual(missing, {
      ok: false,
      error: { kind: 'not-found', message: `Not found: deployments/nope in namespace ${NAMESPACE}` },
    });
  });

  it('lists services, ingresses and network policies', async () => {
    await api.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ledger', namespace: NAMESPACE },
      spec: { selector: { app: 'ledger' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
    } as KubernetesObject);
    await api.create({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'ledger', namespace: NAMESPACE },
      spec: {
        tls: [{ hosts: ['pay.example.com'], secretName: 'pay-tls' }],
        rules: [
          {
            host: 'pay.example.com',
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'ledger', port: { number: 80 } } } }] },
          },
        ],
      },
    } as KubernetesObject);
    await api.create({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: NAMESPACE },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    } as KubernetesObject);

    const [service] = items(await listServices(admin, NAMESPACE));
    assert.deepEqual(
      { name: service.name, type: service.type, ports: service.ports, selector: service.selector },
      {
        name: 'ledger',
        type: 'ClusterIP',
        ports: ['80/TCP→8080'],
        selector: { app: 'ledger' },
      },
    );
    const [ingress] = items(await listIngresses(admin, NAMESPACE));
    assert.deepEqual(
      { hosts: ingress.hosts, tls: ingress.tls, tlsHosts: ingress.tlsHosts },
      { hosts: ['pay.example.com'], tls: true, tlsHosts: ['pay.example.com'] },
    );
    assert.deepEqual(items(await listNetworkPolicies(admin, NAMESPACE)), [
      { name: 'default-deny', namespace: NAMESPACE, podSelector: '', policyTypes: ['Ingress', 'Egress'] },
    ]);
  });

  it('lists Secret names and types, and no values', async () => {
    const value = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
    await api.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'psp-api-key',
        namespace: NAMESPACE,
        // kubectl apply copies the whole Secret, values included, into this annotation.
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ stringData: { key: value } }) },
      },
      type: 'Opaque',
      stringData: { key: value },
    } as KubernetesObject);
    await api.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'registry-pull', namespace: NAMESPACE },
      type: 'kubernetes.io/dockerconfigjson',
      stringData: {
        '.dockerconfigjson': JSON.stringify({ auths: { 'registry.example': { auth: Buffer.from(`ci:${value}`).toString('base64') } } }),
      },
    } as KubernetesObject);

    const result = await listSecretNames(admin, NAMESPACE);
    assert.deepEqual(
      items(result).sort((a, b) => a.name.localeCompare(b.name)),
      [
        { name: 'psp-api-key', namespace: NAMESPACE, type: 'Opaque' },
        { name: 'registry-pull', namespace: NAMESPACE, type: 'kubernetes.io/dockerconfigjson' },
      ],
    );
    const text = JSON.stringify(result);
    assert.ok(!text.includes(value) && !text.includes(Buffer.from(value).toString('base64')), 'no secret value in the listing');

    // The live object of a Secret (for the badge) keeps keys, masks values, drops the annotation that repeats them.
    const live = JSON.stringify(items(await getLiveObject(admin, 'v1', 'Secret', NAMESPACE, 'psp-api-key')));
    assert.ok(!live.includes(value) && !live.includes(Buffer.from(value).toString('base64')), 'no secret value in the live object');
    assert.match(live, /"data":\{"key":"<redacted>"\}/);
  });

  it('watches ConfigMaps: sees them added and deleted, and re-lists after 410 Gone', { timeout: 30_000 }, async () => {
    const path = `/api/v1/namespaces/${NAMESPACE}/configmaps`;
    const recorder = new WatchRecorder();
    const errors: string[] = [];
    const real = httpWatchTransport(admin);
    // The API server rarely answers 410 on demand: inject one into the first real watch stream.
    let watches = 0;
    let injectGone: (() => void) | undefined;
    const transport: WatchTransport = {
      list: real.list,
      watch: (p, query, signal, onEvent) => {
        watches++;
        if (watches > 1) return real.watch(p, query, signal, onEvent);
        return new Promise((resolve, reject) => {
          const first = new AbortController();
          injectGone = () => {
            onEvent({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } });
            first.abort(); // as the server does after an ERROR event: this stream is over
            resolve();
          };
          real
            .watch(p, query, AbortSignal.any([signal, first.signal]), onEvent)
            .then(resolve, (error) => (first.signal.aborted ? resolve() : reject(error)));
        });
      },
    };
    const controller = new AbortController();
    const done = watchList(
      admin,
      path,
      {},
      {
        onRelist: (objects) => recorder.record('RELIST', objects),
        onEvent: (type, object) => recorder.record(type, [object]),
        onError: (error) => errors.push(error.message),
      },
      controller.signal,
      { transport },
    );
    try {
      await recorder.until(() => recorder.relists().length === 1);
      await api.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'fx-rates', namespace: NAMESPACE },
        data: { eur: '1' },
      } as KubernetesObject);
      await recorder.next('ADDED', 'fx-rates');

      injectGone!();
      await recorder.until(() => recorder.relists().length === 2);
      assert.ok(recorder.relists()[1].names.includes('fx-rates'), 'the re-list has the current state');

      await api.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'limits', namespace: NAMESPACE },
        data: { max: '100' },
      } as KubernetesObject);
      await recorder.next('ADDED', 'limits');
      await api.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fx-rates', namespace: NAMESPACE } });
      await recorder.next('DELETED', 'fx-rates');
      assert.deepEqual(errors, [], 'a 410 is routine, not an error');
    } finally {
      controller.abort();
      await done;
    }
  });
});

/** Waits for the Deployment to report `replicas` ready pods, through watchList itself. */
async function waitForDeploymentReady(kubeConfig: KubeConfig, namespace: string, name: string, replicas: number): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 60_000);
  let ready = false;
  const check = (objects: KubernetesObject[]) => {
    if (
      objects.some((o) => o.metadata?.name === name && (o as { status?: { readyReplicas?: number } }).status?.readyReplicas === replicas)
    ) {
      ready = true;
      controller.abort();
    }
  };
  await watchList(
    kubeConfig,
    `/apis/apps/v1/namespaces/${namespace}/deployments`,
    { fieldSelector: `metadata.name=${name}` },
    { onRelist: check, onEvent: (_type, object) => check([object]), onError: () => undefined },
    controller.signal,
  );
  clearTimeout(timer);
  assert.ok(ready, `Deployment ${name} did not become ready`);
}
