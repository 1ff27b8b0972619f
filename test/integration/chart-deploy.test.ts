// Deploy Chart's render side against a real API server with the real helm: the language server's
// renderRoot/locateRendered handler over the helm renderer, the client's plan and server-side dry run. Findings
// come back on template and values lines; a dry-run error on a value set in values.yaml lands on that line.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_CONFIG, parseConfigFile } from '../../server/engine/config';
import { renderRoot, rendererFor } from '../../server/render/registry';
import { RenderRootHandler } from '../../server/src/handlers/render-root';
import { deployRenderer } from '../../server/src/render-for-deploy';
import type { SettingsProvider } from '../../server/src/settings';
import { dryRunPlan } from '../../src/kube/deploy/dry-run';
import { fieldPathOf, planDeploy } from '../../src/kube/deploy/plan';
import { ensureRenderers } from '../tools/renderers.mjs';
import { DEFAULT_SETTINGS, ledgerDeployment, writeTree } from '../support/render-fixtures';
import { adminKubeConfig, clusterSkipReason, createTestNamespace } from './support/cluster';

const RUN = `${process.pid}-${Date.now().toString(36)}`;
const NAMESPACE = `chart-${RUN}`.slice(0, 63);

const chart = (replicas: string): Record<string, string> => ({
  'Chart.yaml': 'apiVersion: v2\nname: ledger\nversion: 0.3.1\n',
  'values.yaml': `replicaCount: ${replicas}\n`,
  'templates/deployment.yaml': ledgerDeployment('{{ .Release.Name }}-api', '{{ .Values.replicaCount }}'),
});

describe('Deploy Chart: render, gate and dry run against a real API server', { skip: clusterSkipReason() }, () => {
  let kc: KubeConfig;
  let helm: string;
  let dir: string;
  let deleteNamespace: () => Promise<void>;
  const handler = new RenderRootHandler(DEFAULT_SETTINGS, async () => {
    const root = rendererFor('helm').findRoots([join(dir, 'Chart.yaml')])[0];
    const options = { valuesFiles: [], set: [], releaseName: 'ledger', namespace: NAMESPACE };
    return {
      rendered: await renderRoot({ root, program: helm, kubernetesVersion: DEFAULT_CONFIG.kubernetesVersion, helm: options }),
      helm: options,
    };
  });

  const writeChart = (replicas: string) => writeTree(dir, chart(replicas));

  before(async () => {
    kc = adminKubeConfig();
    helm = ensureRenderers().helm;
    dir = mkdtempSync(join(tmpdir(), 'fintech-k8s-chart-deploy-'));
    deleteNamespace = await createTestNamespace(kc, NAMESPACE);
  });

  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await deleteNamespace?.();
  });

  it('gates on findings placed on the template lines, never on rendered text', async () => {
    writeChart('2');
    const rendered = await handler.render({ uri: pathToFileURL(dir).href, kind: 'helm', namespace: NAMESPACE });
    assert.deepEqual(
      rendered.problems.filter((p) => p.severity === 'error'),
      [],
    );
    assert.equal(rendered.helm?.releaseName, 'ledger');
    assert.match(rendered.manifests, /name: ledger-api/);
    assert.ok(rendered.findings.length > 0, 'a Deployment without a securityContext has findings');
    const files = new Set(rendered.findings.map((f) => f.uri));
    for (const uri of files) assert.ok(uri.startsWith(pathToFileURL(dir).href + '/'), `${uri} is a file of the chart`);
    assert.ok(files.has(pathToFileURL(join(dir, 'templates', 'deployment.yaml')).href));
  });

  it("renders for a deploy with the chart's settings entry (release name, namespace, values files), and never untrusted", async () => {
    writeChart('2');
    writeTree(dir, { 'values-prod.yaml': 'replicaCount: 3\n' });
    const configFile = {
      input: parseConfigFile(`helm:\n  .:\n    releaseName: payments-ledger\n    values: [values-prod.yaml]\n`, new Set()),
      dir,
    };
    const settings = {
      forDocument: async () => ({ enable: true, config: DEFAULT_CONFIG, programPaths: { helm, kustomize: '' }, configFile }),
    } as unknown as SettingsProvider;
    const uri = pathToFileURL(join(dir, 'Chart.yaml')).href;
    const refused = new RenderRootHandler(
      settings,
      deployRenderer(settings, () => false),
    );
    await assert.rejects(refused.render({ uri, kind: 'helm', namespace: NAMESPACE }), /untrusted/);
    const trusted = new RenderRootHandler(
      settings,
      deployRenderer(settings, () => true),
    );
    const rendered = await trusted.render({ uri, kind: 'helm', namespace: NAMESPACE });
    assert.deepEqual(rendered.helm, {
      releaseName: 'payments-ledger',
      namespace: NAMESPACE,
      valuesFiles: [join(dir, 'values-prod.yaml')],
      set: [],
    });
    assert.match(rendered.manifests, /name: payments-ledger-api/);
    assert.match(rendered.manifests, /replicas: 3/);
  });

  it('puts the dry run’s error on the values line that set the field', async () => {
    writeChart('-1');
    const rendered = await handler.render({ uri: pathToFileURL(dir).href, kind: 'helm', namespace: NAMESPACE });
    const plan = planDeploy(rendered.manifests, 'rendered.yaml', { namespace: NAMESPACE });
    assert.deepEqual(plan.errors, []);
    const [outcome] = await dryRunPlan(kc, plan.objects);
    assert.ok(!outcome.ok, 'replicas: -1 is rejected');
    const cause = outcome.causes.find((c) => c.field === 'spec.replicas');
    assert.ok(cause, JSON.stringify(outcome.causes));
    const { locations } = handler.locate({
      renderId: rendered.renderId,
      locations: [{ docIndex: outcome.planned.docIndex, path: fieldPathOf(outcome.planned, cause.field!) }],
    });
    const values = pathToFileURL(join(dir, 'values.yaml')).href;
    // The value comes from values.yaml: the error is on its line `replicaCount: -1`, not on the template.
    assert.deepEqual(locations[0], { uri: values, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 16 } } });
  });
});
