// The deploy pipeline against a real API server: dry-run errors on the right lines, admission denials,
// immutable fields, apply in order and a no-op second apply, a half-way failure reported exactly, diffs
// with Secret values masked, and rollout waits that complete or are cancelled.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import { apiRequest } from '../../src/kube/deploy/api';
import { applyPlan, isNoOp, OVERRIDE_REASON_ANNOTATION } from '../../src/kube/deploy/apply';
import { diffPlan } from '../../src/kube/deploy/diff';
import { dryRunPlan } from '../../src/kube/deploy/dry-run';
import { planDeploy, type PlannedObject } from '../../src/kube/deploy/plan';
import { readLive } from '../../src/kube/deploy/ssa';
import { waitForRollout, type RolloutStatus } from '../../src/kube/deploy/rollout';
import { adminKubeConfig, clusterSkipReason } from './support/cluster';

const RUN = `${process.pid}-${Date.now().toString(36)}`;

/** Line (0-based) of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split('\n');
  const index = lines.findIndex((line, i) => i >= from && line.includes(needle));
  assert.ok(index >= 0, `"${needle}" not in the manifest`);
  return index;
}

function plan(text: string, namespace: string): PlannedObject[] {
  const result = planDeploy(text, 'deploy.yaml', { namespace });
  assert.deepEqual(result.errors, []);
  return result.objects;
}

const deployment = (name: string, image: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1${extra}
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: app
          image: ${image}
`;

describe('deploy pipeline against a real API server', { skip: clusterSkipReason() }, () => {
  let kc: KubeConfig;
  const namespaces: string[] = [];

  async function createNamespace(suffix: string, labels: Record<string, string> = {}): Promise<string> {
    const name = `deploy-${suffix}-${RUN}`.slice(0, 63);
    await apiRequest(kc, {
      method: 'POST',
      path: '/api/v1/namespaces',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } },
    });
    namespaces.push(name);
    return name;
  }

  before(() => {
    kc = adminKubeConfig();
  });

  after(async () => {
    for (const name of namespaces) await apiRequest(kc, { method: 'DELETE', path: `/api/v1/namespaces/${name}` }).catch(() => undefined);
  });

  it('maps 422 causes of a dry run to the lines of the manifest', async () => {
    const namespace = await createNamespace('invalid');
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: fine
data:
  key: value
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: broken
spec:
  selector:
    matchLabels: { app: broken }
  template:
    metadata:
      labels: { app: broken }
    spec:
      containers:
        - name: app
          ports:
            - containerPort: 70000
---
apiVersion: v1
kind: Service
metadata:
  name: typo
spec:
  selector: { app: broken }
  ports:
    - port: 80
      targetPortt: 8080
`;
    const outcomes = await dryRunPlan(kc, plan(text, namespace));
    const byName = Object.fromEntries(outcomes.map((o) => [o.planned.name, o]));
    assert.equal(byName.fine.ok, true);

    const broken = byName.broken;
    assert.ok(!broken.ok);
    assert.equal(broken.status, 422);
    assert.equal(broken.category, 'invalid');
    const image = broken.causes.find((c) => c.field === 'spec.template.spec.containers[0].image');
    assert.ok(image, JSON.stringify(broken.causes));
    // The image is missing: the cause goes on the container it belongs to, not line 1.
    assert.equal(image.exact, false);
    assert.equal(image.range.start.line, lineOf(text, '- name: app'));
    const port = broken.causes.find((c) => c.field?.endsWith('containerPort'));
    assert.ok(port);
    assert.equal(port.exact, true);
    assert.equal(port.range.start.line, lineOf(text, 'containerPort: 70000'));
    assert.match(port.message, /between 1 and 65535/);

    // Strict field validation: an unknown field is an error on its own line, not silently dropped.
    const typo = byName.typo;
    assert.ok(!typo.ok);
    assert.equal(typo.category, 'invalid');
    assert.equal(typo.causes.length, 1, JSON.stringify(typo));
    assert.match(typo.causes[0].message, /not declared in schema|unknown field/);
    assert.equal(typo.causes[0].range.start.line, lineOf(text, 'targetPortt'));
    assert.equal(typo.causes[0].exact, true);
  });

  it('reports a Pod Security denial as an admission denial, and its warnings on workloads', async () => {
    const namespace = await createNamespace('restricted', {
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
    });
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: root-pod
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: true
---
${deployment('web', 'nginx:1.27')}`;
    const [pod, web] = await dryRunPlan(kc, plan(text, namespace)).then((all) => [
      all.find((o) => o.planned.kind === 'Pod')!,
      all.find((o) => o.planned.kind === 'Deployment')!,
    ]);
    assert.ok(!pod.ok);
    assert.equal(pod.status, 403);
    assert.equal(pod.category, 'admission-denied');
    assert.match(pod.message, /violates PodSecurity "restricted/);
    assert.equal(pod.range.start.line, 0);
    // Admission only warns on workloads; the warning is what the user needs to see.
    assert.ok(web.ok);
    assert.ok(
      web.warnings.some((w) => /would violate PodSecurity/.test(w)),
      JSON.stringify(web.warnings),
    );
  });

  it('reports a change of an immutable field (a Deployment selector, a Job template) on its line', async () => {
    const namespace = await createNamespace('immutable');
    const first = await applyPlan(kc, plan(deployment('web', 'nginx:1.27'), namespace));
    assert.ok(first.ok);
    const changed = deployment('web', 'nginx:1.27')
      .replace('matchLabels: { app: web }', 'matchLabels: { app: web, tier: api }')
      .replace('labels: { app: web }', 'labels: { app: web, tier: api }');
    const [outcome] = await dryRunPlan(kc, plan(changed, namespace));
    assert.ok(!outcome.ok);
    assert.equal(outcome.status, 422);
    assert.equal(outcome.category, 'immutable');
    assert.match(outcome.message, /field is immutable/);
    assert.equal(outcome.causes[0].field, 'spec.selector');
    assert.equal(outcome.causes[0].range.start.line, lineOf(changed, 'selector:'));

    const job = (image: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: ${image}
`;
    assert.ok((await applyPlan(kc, plan(job('migrate:1'), namespace))).ok);
    const [jobOutcome] = await dryRunPlan(kc, plan(job('migrate:2'), namespace));
    assert.ok(!jobOutcome.ok);
    assert.equal(jobOutcome.category, 'immutable');
    assert.equal(jobOutcome.causes[0].field, 'spec.template');
    assert.equal(jobOutcome.range.start.line, lineOf(job('migrate:2'), 'template:'));
  });

  it('applies in dependency order; a second apply of the same text changes nothing; the rollout completes', async () => {
    const namespace = await createNamespace('apply');
    // Written workload first: the plan must still create the ConfigMap and Service before it.
    const text = `${deployment('api', 'registry.example/api:1.0')}---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: { app: api }
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: api-config
data:
  mode: live
`;
    const objects = plan(text, namespace);
    assert.deepEqual(
      objects.map((o) => o.kind),
      ['ConfigMap', 'Service', 'Deployment'],
    );
    const progress: string[] = [];
    const first = await applyPlan(kc, objects, { onProgress: (p) => p.result && progress.push(`${p.planned.kind}:${p.result.state}`) });
    assert.ok(first.ok, JSON.stringify(first.failed?.failure));
    assert.deepEqual(progress, ['ConfigMap:applied', 'Service:applied', 'Deployment:applied']);
    assert.deepEqual(
      first.results.map((r) => r.state === 'applied' && r.created && r.changed),
      [true, true, true],
    );
    assert.equal(isNoOp(first), false);

    const second = await applyPlan(kc, plan(text, namespace));
    assert.ok(second.ok);
    assert.deepEqual(
      second.results.map((r) => (r.state === 'applied' ? { created: r.created, changed: r.changed } : r.state)),
      [
        { created: false, changed: false },
        { created: false, changed: false },
        { created: false, changed: false },
      ],
    );
    assert.equal(isNoOp(second), true);

    const live = await readLive(kc, objects[0]);
    assert.equal(
      live?.metadata.managedFields && (live.metadata.managedFields as { manager: string }[]).some((m) => m.manager === 'fintech-k8s'),
      true,
    );

    const updates: RolloutStatus[] = [];
    const statuses = await waitForRollout(kc, objects, { timeoutMs: 60_000, onProgress: (s) => updates.push(s) });
    assert.equal(statuses.length, 1, 'only the Deployment has a rollout');
    assert.equal(statuses[0].state, 'complete', JSON.stringify(statuses[0]));
    assert.equal(statuses[0].available, 1);
    assert.equal(updates.at(-1)?.state, 'complete');

    // "Deploy anyway": the reason lands on every applied object, which therefore changes.
    const overridden = await applyPlan(kc, plan(text, namespace), { overrideReason: 'hotfix INC-42 approved by on-call' });
    assert.ok(overridden.ok);
    assert.ok(overridden.results.every((r) => r.state === 'applied' && r.changed));
    const annotated = await readLive(kc, objects[2]);
    assert.equal(
      (annotated?.metadata.annotations as Record<string, string>)[OVERRIDE_REASON_ANNOTATION],
      'hotfix INC-42 approved by on-call',
    );
  });

  it('stops at an invalid object in the middle and says what was applied and what was not', async () => {
    const namespace = await createNamespace('halfway');
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: first
data: { a: b }
---
apiVersion: v1
kind: Service
metadata:
  name: second
spec:
  ports:
    - port: 0
---
${deployment('third', 'nginx:1.27')}`;
    const report = await applyPlan(kc, plan(text, namespace));
    assert.equal(report.ok, false);
    assert.equal(report.cancelled, false);
    assert.deepEqual(
      report.results.map((r) => `${r.planned.name}:${r.state}`),
      ['first:applied', 'second:failed', 'third:not-attempted'],
    );
    assert.deepEqual(
      report.applied.map((o) => o.name),
      ['first'],
    );
    assert.equal(report.failed?.planned.name, 'second');
    assert.equal(report.failed?.failure.status, 422);
    assert.equal(report.failed?.failure.range.start.line, lineOf(text, 'port: 0'));
    assert.deepEqual(
      report.notAttempted.map((o) => o.name),
      ['third'],
    );
    const objects = plan(text, namespace);
    assert.ok(await readLive(kc, objects[0]), 'first exists');
    assert.equal(await readLive(kc, objects[2]), undefined, 'third was never created');
  });

  it('stops at an object the user may not write (dev-payments cannot touch Secrets)', async () => {
    const dev = adminKubeConfig();
    dev.setCurrentContext('dev-payments');
    const suffix = RUN.replace(/[^a-z0-9-]/g, '');
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-${suffix}
data: { a: b }
---
apiVersion: v1
kind: Secret
metadata:
  name: creds-${suffix}
stringData:
  password: hunter2-${suffix}
---
apiVersion: v1
kind: Service
metadata:
  name: svc-${suffix}
spec:
  ports:
    - port: 80
`;
    const objects = plan(text, 'payments');
    try {
      const report = await applyPlan(dev, objects);
      assert.deepEqual(
        report.results.map((r) => `${r.planned.kind}:${r.state}`),
        ['ConfigMap:applied', 'Secret:failed', 'Service:not-attempted'],
      );
      const failure = report.failed!.failure;
      assert.equal(failure.status, 403);
      assert.equal(failure.category, 'forbidden');
      assert.match(failure.message, /payments-dev.*cannot patch resource "secrets"/);
      assert.ok(!failure.message.includes('hunter2'));
      assert.equal(await readLive(kc, objects[2]), undefined);
    } finally {
      await apiRequest(kc, { method: 'DELETE', path: `/api/v1/namespaces/payments/configmaps/settings-${suffix}` }).catch(() => undefined);
    }
  });

  it('diffs against the live objects with server fields stripped and Secret values masked on both sides', async () => {
    const namespace = await createNamespace('diff');
    const secret = (password: string) => `apiVersion: v1
kind: Secret
metadata:
  name: db
type: Opaque
stringData:
  password: ${password}
  user: payments
`;
    await applyPlan(kc, plan(`${deployment('web', 'nginx:1.26')}---\n${secret('old-s3cret-value')}`, namespace)).then((r) =>
      assert.ok(r.ok),
    );

    const config = `apiVersion: v1
kind: ConfigMap
metadata:
  name: brand-new
data: { a: b }
`;
    const text = `${deployment('web', 'nginx:1.27')}---\n${secret('new-s3cret-value!')}---\n${config}`;
    const diffs = await diffPlan(kc, plan(text, namespace));
    const byKind = Object.fromEntries(diffs.map((d) => [d.planned.kind, d]));

    const web = byKind.Deployment;
    assert.equal(web.live, 'present');
    assert.equal(web.changed, true);
    assert.match(web.left, /image: nginx:1\.26/);
    assert.match(web.right, /image: nginx:1\.27/);
    for (const side of [web.left, web.right]) {
      assert.doesNotMatch(side, /managedFields|resourceVersion|uid:|creationTimestamp|generation:|^status:/m);
    }

    const db = byKind.Secret;
    assert.equal(db.changed, true);
    for (const side of [db.left, db.right]) {
      for (const value of ['old-s3cret-value', 'new-s3cret-value!']) {
        assert.ok(!side.includes(value), 'secret value shown');
        assert.ok(!side.includes(Buffer.from(value).toString('base64')), 'base64 secret value shown');
      }
      assert.ok(!side.includes(Buffer.from('payments').toString('base64')));
    }
    assert.match(db.left, /password: "?\*\*\* \(16 bytes, before\)/);
    assert.match(db.right, /password: "?\*\*\* \(17 bytes, after\)/);
    // Unchanged values are masked too, and not marked as changed.
    assert.match(db.left, /user: "?\*\*\* \(8 bytes\)"?$/m);
    assert.match(db.right, /user: "?\*\*\* \(8 bytes\)"?$/m);

    const fresh = byKind.ConfigMap;
    assert.equal(fresh.live, 'absent');
    assert.equal(fresh.left, '');
    assert.match(fresh.right, /name: brand-new/);
    assert.equal(fresh.changed, true);

    // Applied, the same text diffs as unchanged everywhere.
    await applyPlan(kc, plan(text, namespace)).then((r) => assert.ok(r.ok));
    const again = await diffPlan(kc, plan(text, namespace));
    assert.deepEqual(
      again.map((d) => d.changed),
      [false, false, false],
    );
  });

  it('reports a field owned by another manager as a conflict on its line, and takes it over only with force', async () => {
    const namespace = await createNamespace('conflict');
    const text = deployment('web', 'nginx:1.27');
    const [object] = plan(text, namespace);
    // Another tool (e.g. an autoscaler script) applied replicas: 3 first.
    await apiRequest(kc, {
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${namespace}/deployments/web`,
      query: { fieldManager: 'other-tool' },
      contentType: 'application/apply-patch+yaml',
      body: { ...object.object, spec: { ...(object.object.spec as object), replicas: 3 } },
    });
    const refused = await applyPlan(kc, [object]);
    assert.equal(refused.failed?.failure.status, 409);
    assert.equal(refused.failed?.failure.category, 'conflict');
    assert.match(refused.failed!.failure.message, /other-tool/);
    assert.equal(refused.failed?.failure.range.start.line, lineOf(text, 'replicas: 1'));

    const forced = await applyPlan(kc, [object], { force: true });
    assert.ok(forced.ok);
    const live = await readLive(kc, object);
    assert.equal((live?.spec as { replicas: number }).replicas, 1);
  });

  it('marks objects in a Namespace of the same file as waiting for it in the dry run; the apply creates them in order', async () => {
    const namespace = `deploy-fresh-${RUN}`.slice(0, 63);
    namespaces.push(namespace);
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${namespace}
data: { a: b }
---
apiVersion: v1
kind: Namespace
metadata:
  name: ${namespace}
`;
    const objects = plan(text, 'default');
    const [ns, config] = await dryRunPlan(kc, objects);
    assert.ok(ns.ok);
    assert.ok(!config.ok);
    assert.equal(config.category, 'not-found');
    assert.equal(config.pendingDependency, `Namespace ${namespace}`);
    const report = await applyPlan(kc, objects);
    assert.ok(report.ok, JSON.stringify(report.failed?.failure));
    assert.deepEqual(
      report.applied.map((o) => o.kind),
      ['Namespace', 'ConfigMap'],
    );
  });

  it('stops waiting for a rollout when cancelled, and when the timeout passes', async () => {
    const namespace = await createNamespace('rollout');
    // A paused Deployment never rolls out: the wait can only end by cancel or timeout.
    const objects = plan(deployment('paused', 'nginx:1.27', '\n  paused: true'), namespace);
    await applyPlan(kc, objects).then((r) => assert.ok(r.ok));

    const cancel = new AbortController();
    const cancelled = waitForRollout(kc, objects, {
      signal: cancel.signal,
      timeoutMs: 60_000,
      onProgress: (s) => s.state === 'progressing' && cancel.abort(),
    });
    const [status] = await cancelled;
    assert.equal(status.state, 'cancelled');
    assert.match(status.message, /^cancelled: /);

    const [timedOut] = await waitForRollout(kc, objects, { timeoutMs: 1500 });
    assert.equal(timedOut.state, 'timeout');
  });
});
