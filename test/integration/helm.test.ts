// Helm releases against a real API server, with the real helm (pinned, built from the Go module proxy): a chart
// deployed with `helm upgrade --install --wait --atomic` as Deploy Chart runs it, an upgrade whose rollout
// cannot become ready (its pods name a scheduler that does not exist, so the test cluster's kubelet never
// binds them) rolled back by helm itself, the releases and history read from their Secrets, and a rollback.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import { apiRequest } from '../../src/kube/deploy/api';
import { helmMajorVersion, helmRollback, helmUpgradeInstall } from '../../src/kube/helm/helm-run';
import { listHelmReleases } from '../../src/kube/helm/list-releases';
import type { HelmTarget } from '../../src/kube/helm/helm-args';
import { ensureRenderers } from '../tools/renderers.mjs';
import { ledgerChart, ledgerDeployment, writeTree } from '../support/render-fixtures';
import { adminKubeConfig, clusterSkipReason, createTestNamespace, testKubeconfigPath } from './support/cluster';

const RUN = `${process.pid}-${Date.now().toString(36)}`;
const NAMESPACE = `helm-${RUN}`.slice(0, 63);
const RELEASE = 'ledger';

// The Deployment's pods name a scheduler when `schedulerName` is set: the test cluster's kubelet binds only
// pods of the default scheduler, so such a rollout never becomes ready.
const CHART = ledgerChart({
  'templates/deployment.yaml': ledgerDeployment(
    '{{ .Release.Name }}-api',
    '1',
    '\n      {{- with .Values.schedulerName }}\n      schedulerName: {{ . }}\n      {{- end }}',
  ),
});

describe('helm releases against a real API server', { skip: clusterSkipReason() }, () => {
  let kc: KubeConfig;
  let helm: string;
  let major: number;
  let chartDir: string;
  let target: HelmTarget;
  let deleteNamespace: () => Promise<void>;

  before(async () => {
    kc = adminKubeConfig();
    helm = ensureRenderers().helm;
    major = await helmMajorVersion(helm);
    chartDir = mkdtempSync(join(tmpdir(), 'fintech-k8s-chart-'));
    writeTree(chartDir, CHART);
    deleteNamespace = await createTestNamespace(kc, NAMESPACE);
    target = { kubeconfigFiles: [testKubeconfigPath()!], context: kc.getCurrentContext(), namespace: NAMESPACE };
  });

  after(async () => {
    rmSync(chartDir, { recursive: true, force: true });
    await deleteNamespace?.();
  });

  const deploy = (set: string[], timeoutSeconds = 120) =>
    helmUpgradeInstall(helm, { release: RELEASE, chartDir, target, helmMajor: major, set, timeoutSeconds });

  const configMessage = async () =>
    (
      await apiRequest<{ data: { message: string } }>(kc, {
        method: 'GET',
        path: `/api/v1/namespaces/${NAMESPACE}/configmaps/${RELEASE}-settings`,
      })
    ).body.data.message;

  const schedulerName = async () =>
    (
      await apiRequest<{ spec: { template: { spec: { schedulerName?: string } } } }>(kc, {
        method: 'GET',
        path: `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${RELEASE}-api`,
      })
    ).body.spec.template.spec.schedulerName;

  it('reads the version of the pinned helm', () => {
    assert.equal(major, 3);
  });

  it('installs the chart and waits for its rollout; the output names release, revision and objects', async () => {
    const result = await deploy([]);
    assert.ok(result.ok, !result.ok ? result.message : '');
    assert.equal(result.release, RELEASE);
    assert.equal(result.namespace, NAMESPACE);
    assert.equal(result.revision, 1);
    assert.equal(result.status, 'deployed');
    assert.deepEqual(
      result.objects.map((o) => `${o.kind} ${o.name}`),
      [`ConfigMap ${RELEASE}-settings`, `Deployment ${RELEASE}-api`],
    );
    assert.equal(await configMessage(), 'first');
  });

  it('lists the release from its Secret: chart, versions, revision, status, time and manifest', async () => {
    const listed = await listHelmReleases(kc, NAMESPACE);
    assert.ok(listed.ok, !listed.ok ? listed.error.message : '');
    assert.equal(listed.warnings, undefined);
    assert.equal(listed.items.length, 1);
    const [release] = listed.items;
    assert.equal(release.name, RELEASE);
    assert.deepEqual(
      { ...release.current, updated: typeof release.current.updated, manifest: release.current.manifest.includes(`name: ${RELEASE}-api`) },
      {
        name: RELEASE,
        namespace: NAMESPACE,
        revision: 1,
        status: 'deployed',
        chart: 'ledger',
        chartVersion: '0.3.1',
        appVersion: '1.4.0',
        updated: 'string',
        description: 'Install complete',
        manifest: true,
      },
    );
  });

  it('upgrades to a new revision', async () => {
    const result = await deploy(['message=second']);
    assert.ok(result.ok, !result.ok ? result.message : '');
    assert.equal(result.revision, 2);
    assert.equal(await configMessage(), 'second');
  });

  it('rolls back by itself an upgrade whose rollout cannot become ready', async () => {
    const result = await deploy(['message=third', 'schedulerName=no-such-scheduler'], 15);
    assert.ok(!result.ok, 'the upgrade fails');
    assert.ok(result.rolledBack, `helm says it rolled back: ${result.message}`);
    assert.match(result.message, /rolled back/);
    // The live objects are those of revision 2 again.
    assert.equal(await configMessage(), 'second');
    assert.equal(await schedulerName(), 'default-scheduler');
    const listed = await listHelmReleases(kc, NAMESPACE);
    assert.ok(listed.ok);
    assert.deepEqual(
      listed.items[0].history.map((r) => `${r.revision} ${r.status}`),
      ['4 deployed', '3 failed', '2 superseded', '1 superseded'],
    );
    assert.match(listed.items[0].current.description ?? '', /Rollback to 2/);
  });

  it('rolls back to a chosen revision with helm rollback --wait', async () => {
    const result = await helmRollback(helm, { release: RELEASE, revision: 1, target, timeoutSeconds: 120 });
    assert.ok(result.ok, !result.ok ? result.message : '');
    assert.equal(await configMessage(), 'first');
    const listed = await listHelmReleases(kc, NAMESPACE);
    assert.ok(listed.ok);
    const [release] = listed.items;
    assert.equal(release.current.revision, 5);
    assert.equal(release.current.status, 'deployed');
    assert.equal(release.current.description, 'Rollback to 1');
  });

  it('reports a rollback to a revision that does not exist with helm’s own message', async () => {
    const result = await helmRollback(helm, { release: RELEASE, revision: 99, target, timeoutSeconds: 30 });
    assert.ok(!result.ok);
    assert.match(result.message, /99|not found/i);
    assert.equal(result.rolledBack, false);
  });
});
