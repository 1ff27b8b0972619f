// The chart scaffolds (New Chart from Template), rendered by the real helm, are accepted by a real API
// server: a server-side apply dry run of every object, and a Pod made from each pod template created in a
// namespace that enforces the restricted Pod Security Standard.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { discoverRoots, renderRoot } from '../../server/render';
import { listScaffolds, writeScaffold } from '../../src/templates/chart-scaffold';
import { ensureRenderers } from '../tools/renderers.mjs';
import { adminKubeConfig, clusterSkipReason } from './support/cluster';

/** Rendered objects walked by key path: their shape is whatever the chart or snippet wrote. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const NAMESPACE = `chart-scaffolds-${process.pid}`;
const SCAFFOLDS = resolve(__dirname, '..', '..', 'chart-scaffolds');
const VARIANTS: { id: string; set: string[] }[] = [
  { id: 'payments-api', set: [] },
  { id: 'blockchain-node', set: [] },
  { id: 'blockchain-node', set: ['ethereum.enabled=false', 'bitcoin.enabled=true'] },
];
const POD_TEMPLATE: Record<string, string[]> = { Deployment: ['spec', 'template'], StatefulSet: ['spec', 'template'] };

function apiMessage(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body).message;
    } catch {
      return body;
    }
  }
  return (body as { message?: string })?.message ?? (error as Error).message;
}

describe('chart scaffolds against a real API server', { skip: clusterSkipReason() }, () => {
  let api: KubernetesObjectApi;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fintech-k8s-scaffold-dry-run-'));
    api = KubernetesObjectApi.makeApiClient(adminKubeConfig());
    await api.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: NAMESPACE,
        labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' },
      },
    });
  });

  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await api?.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }).catch(() => undefined);
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
      // Pod admission looks the ServiceAccount up, even in a dry run: create those for real first.
      for (const account of objects.filter((o) => o.kind === 'ServiceAccount'))
        await api.patch(account, undefined, undefined, 'fintech-k8s-tests', true, PatchStrategy.ServerSideApply);
      for (const object of objects) {
        await api
          .patch(object, undefined, 'All', 'fintech-k8s-tests', true, PatchStrategy.ServerSideApply)
          .catch((error) => assert.fail(`${object.kind}/${object.metadata?.name}: ${apiMessage(error)}`));
        const templatePath = POD_TEMPLATE[object.kind!];
        if (!templatePath) continue;
        let podTemplate: Loose = object;
        for (const key of templatePath) podTemplate = podTemplate?.[key];
        const claims = (object as Loose).spec?.volumeClaimTemplates ?? [];
        const claimVolumes = claims.map((claim: Loose) => ({
          name: claim.metadata.name,
          persistentVolumeClaim: { claimName: `${claim.metadata.name}-${object.metadata!.name}-0` },
        }));
        const spec = { ...podTemplate.spec, volumes: [...(podTemplate.spec.volumes ?? []), ...claimVolumes] };
        const pod = {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `${object.metadata!.name}-pod`, namespace: NAMESPACE, labels: podTemplate.metadata?.labels },
          spec,
        };
        await api
          .create(pod, undefined, 'All')
          .catch((error) => assert.fail(`Pod from ${object.kind}/${object.metadata?.name}: ${apiMessage(error)}`));
      }
    });
  }
});
