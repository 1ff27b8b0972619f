// Deploy Overlay's pipeline against a real API server with the real kustomize (pinned, built from the Go module
// proxy): the language server's renderRoot/locateRendered handler over the kustomize renderer, then the
// client's plan, server-side dry run and apply. A dry-run error lands on the patch line that wrote the field;
// kustomize's build metadata never reaches the cluster.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_CONFIG } from '../../server/engine/config';
import { renderKustomize } from '../../server/render/kustomize/build';
import { rootAt } from '../../server/render/kustomize/discover';
import { RenderRootHandler } from '../../server/src/handlers/render-root';
import { apiRequest } from '../../src/kube/deploy/api';
import { applyPlan } from '../../src/kube/deploy/apply';
import { dryRunPlan } from '../../src/kube/deploy/dry-run';
import { fieldPathOf, planDeploy } from '../../src/kube/deploy/plan';
import { waitForRollout } from '../../src/kube/deploy/rollout';
import { ensureRenderers } from '../tools/renderers.mjs';
import { DEFAULT_SETTINGS, ledgerOverlay, writeTree } from '../support/render-fixtures';
import { adminKubeConfig, clusterSkipReason, createTestNamespace } from './support/cluster';

const RUN = `${process.pid}-${Date.now().toString(36)}`;
const NAMESPACE = `overlay-${RUN}`.slice(0, 63);

const overlayFiles = (replicas: string) =>
  ledgerOverlay(NAMESPACE, replicas, {
    'configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ledger-settings\ndata:\n  mode: live\n',
  });

describe('Deploy Overlay against a real API server', { skip: clusterSkipReason() }, () => {
  let kc: KubeConfig;
  let kustomize: string;
  let workspace: string;
  let deleteNamespace: () => Promise<void>;
  const handler = new RenderRootHandler(DEFAULT_SETTINGS, async (params) => {
    const root = rootAt(join(workspace, 'overlays', 'prod'));
    assert.ok(root, `a kustomization at ${params.uri}`);
    return { rendered: await renderKustomize({ root, program: kustomize, kubernetesVersion: DEFAULT_CONFIG.kubernetesVersion }) };
  });

  const writeOverlay = (replicas: string) => writeTree(workspace, overlayFiles(replicas));

  const render = () => handler.render({ uri: pathToFileURL(join(workspace, 'overlays', 'prod')).href, kind: 'kustomize' });

  before(async () => {
    kc = adminKubeConfig();
    kustomize = ensureRenderers().kustomize;
    workspace = mkdtempSync(join(tmpdir(), 'fintech-k8s-overlay-'));
    deleteNamespace = await createTestNamespace(kc, NAMESPACE);
  });

  after(async () => {
    rmSync(workspace, { recursive: true, force: true });
    await deleteNamespace?.();
  });

  it('shows the dry run’s error on the patch line that wrote the field', async () => {
    writeOverlay('-1');
    const rendered = await render();
    assert.deepEqual(
      rendered.problems.filter((p) => p.severity === 'error'),
      [],
    );
    const plan = planDeploy(rendered.manifests, 'rendered.yaml', { namespace: 'default' });
    assert.deepEqual(plan.errors, []);
    assert.deepEqual(plan.objects.map((o) => `${o.kind} ${o.namespace}/${o.name}`).sort(), [
      `ConfigMap ${NAMESPACE}/prod-ledger-settings`,
      `Deployment ${NAMESPACE}/prod-ledger-api`,
    ]);
    const outcomes = await dryRunPlan(kc, plan.objects);
    const failed = outcomes.filter((o) => !o.ok);
    assert.equal(failed.length, 1);
    const [failure] = failed;
    assert.ok(!failure.ok);
    assert.equal(failure.planned.kind, 'Deployment');
    const cause = failure.causes.find((c) => c.field === 'spec.replicas');
    assert.ok(cause, `a cause on spec.replicas: ${JSON.stringify(failure.causes)}`);
    const { locations } = handler.locate({
      renderId: rendered.renderId,
      locations: [{ docIndex: failure.planned.docIndex, path: fieldPathOf(failure.planned, cause.field!) }],
    });
    const patch = join(workspace, 'overlays', 'prod', 'replicas.yaml');
    const patchLine = overlayFiles('-1')['overlays/prod/replicas.yaml'].split('\n').indexOf('  replicas: -1');
    assert.equal(locations[0]?.uri, pathToFileURL(patch).href);
    assert.equal(locations[0]?.range.start.line, patchLine);
  });

  it('applies the built objects (without build metadata) and waits for the rollout, like kubectl apply -k', async () => {
    writeOverlay('2');
    const rendered = await render();
    const plan = planDeploy(rendered.manifests, 'rendered.yaml', { namespace: 'default' });
    const outcomes = await dryRunPlan(kc, plan.objects);
    assert.ok(
      outcomes.every((o) => o.ok),
      JSON.stringify(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.message)),
    );
    const report = await applyPlan(kc, plan.objects);
    assert.ok(report.ok);
    const statuses = await waitForRollout(kc, [{ kind: 'Deployment', name: 'prod-ledger-api', namespace: NAMESPACE }], {
      timeoutMs: 60_000,
    });
    assert.deepEqual(
      statuses.map((s) => s.state),
      ['complete'],
    );
    const live = await apiRequest<{ metadata: { annotations?: Record<string, string> }; spec: { replicas: number } }>(kc, {
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/prod-ledger-api`,
    });
    assert.equal(live.body.spec.replicas, 2);
    assert.ok(
      !Object.keys(live.body.metadata.annotations ?? {}).some((key) => key.includes('config.kubernetes.io')),
      `no build metadata on the live object: ${JSON.stringify(live.body.metadata.annotations)}`,
    );
  });
});
