// The chart scaffolds (New Chart from Template), rendered by the real helm, are accepted by a real API
// server: a server-side apply dry run of every object, and a Pod made from each pod template created in a
// namespace that enforces the restricted Pod Security Standard.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { discoverRoots, renderRoot } from '../../server/render';
import { listScaffolds, writeScaffold } from '../../src/templates/chart-scaffold';
import { ensureRenderers } from '../tools/renderers.mjs';
import { assertAdmitted, createRestrictedNamespace, deleteNamespace } from './support/admission';
import { adminKubeConfig, clusterSkipReason } from './support/cluster';

const NAMESPACE = `chart-scaffolds-${process.pid}`;
const SCAFFOLDS = resolve(__dirname, '..', '..', 'chart-scaffolds');
const VARIANTS: { id: string; set: string[] }[] = [
  { id: 'payments-api', set: [] },
  { id: 'blockchain-node', set: [] },
  { id: 'blockchain-node', set: ['ethereum.enabled=false', 'bitcoin.enabled=true'] },
];

describe('chart scaffolds against a real API server', { skip: clusterSkipReason() }, () => {
  let api: KubernetesObjectApi;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fintech-k8s-scaffold-dry-run-'));
    api = KubernetesObjectApi.makeApiClient(adminKubeConfig());
    await createRestrictedNamespace(api, NAMESPACE);
  });

  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await deleteNamespace(api, NAMESPACE);
  });

  for (const [index, variant] of VARIANTS.entries()) {
    it(`${variant.id}${variant.set.length ? ` (${variant.set.join(', ')})` : ''}: dry run and restricted Pod Security`, async () => {
      const target = join(dir, `chart-${index}`);
      writeScaffold(
        listScaffolds(SCAFFOLDS).find((s) => s.id === variant.id)!,
        target,
        `node${index}`,
      );
      const rendered = await renderRoot({
        root: discoverRoots([join(target, 'Chart.yaml')]).roots[0],
        program: ensureRenderers().helm,
        kubernetesVersion: '1.37',
        helm: { valuesFiles: [], set: variant.set, namespace: NAMESPACE, releaseName: `r${index}` },
      });
      assert.deepEqual(rendered.problems, []);
      const objects = rendered.files
        .flatMap((file) => parseAllDocuments(file.text).map((doc) => doc.toJS() as KubernetesObject | null))
        .filter((o): o is KubernetesObject => !!o && typeof o === 'object');
      assert.ok(objects.length >= 5);
      await assertAdmitted(api, objects, NAMESPACE);
    });
  }
});
