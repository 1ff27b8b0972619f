// Every template, expanded with its defaults, is accepted by a real API server: a server-side apply dry
// run of each object, and of a Pod made from each pod template in a namespace that enforces the
// restricted Pod Security Standard (admission enforces on Pods, only warns on workloads).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { loadTemplate, templateFiles } from '../../scripts/snippets';
import { expandSnippet } from '../../src/templates/snippet-syntax';
import { adminKubeConfig, clusterSkipReason } from './support/cluster';

/** Rendered objects walked by key path: their shape is whatever the chart or snippet wrote. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const NAMESPACE = `snippets-${process.pid}`;
const POD_TEMPLATE: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

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

describe('templates against a real API server', { skip: clusterSkipReason() }, () => {
  let api: KubernetesObjectApi;

  before(async () => {
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
    await api?.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }).catch(() => undefined);
  });

  const dryRunApply = (object: KubernetesObject) =>
    api.patch(object, undefined, 'All', 'fintech-k8s-tests', true, PatchStrategy.ServerSideApply);

  for (const template of templateFiles().map(loadTemplate)) {
    it(`${template.prefix} passes server-side dry-run, and its pods pass restricted Pod Security`, async () => {
      // Where $1 names a Namespace, it becomes the test namespace; everything else goes into it.
      const isNamespaceTemplate = /kind: Namespace\nmetadata:\n {2}name: \$\{1:/.test(template.body);
      const text = expandSnippet(template.body, isNamespaceTemplate ? { 1: NAMESPACE } : { 2: NAMESPACE });
      const objects = parseAllDocuments(text)
        .map((doc) => doc.toJS() as KubernetesObject | null)
        .filter((o): o is KubernetesObject => !!o && typeof o === 'object');
      assert.ok(objects.length > 0);
      // Pod admission looks the ServiceAccount up, even in a dry run: create those for real first.
      for (const account of objects.filter((o) => o.kind === 'ServiceAccount')) {
        await api.patch(account, undefined, undefined, 'fintech-k8s-tests', true, PatchStrategy.ServerSideApply);
      }
      for (const object of objects) {
        await dryRunApply(object).catch((error) => assert.fail(`${object.kind}/${object.metadata?.name}: ${apiMessage(error)}`));
        const templatePath = POD_TEMPLATE[object.kind!];
        if (!templatePath) continue;
        let podTemplate: Loose = object;
        for (const key of templatePath) podTemplate = podTemplate?.[key];
        // The StatefulSet controller adds a volume per claim template; a Pod made by hand needs them too.
        const claims = (object as Loose).spec?.volumeClaimTemplates ?? [];
        const claimVolumes = claims.map((claim: Loose) => ({
          name: claim.metadata.name,
          persistentVolumeClaim: { claimName: `${claim.metadata.name}-${object.metadata!.name}-0` },
        }));
        if (claimVolumes.length)
          podTemplate = { ...podTemplate, spec: { ...podTemplate.spec, volumes: [...(podTemplate.spec.volumes ?? []), ...claimVolumes] } };
        const pod = {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `${object.metadata!.name}-pod`, namespace: NAMESPACE, labels: podTemplate.metadata?.labels },
          spec: podTemplate.spec,
        };
        if (pod.spec.restartPolicy === undefined)
          pod.spec = { ...pod.spec, restartPolicy: object.kind === 'Job' || object.kind === 'CronJob' ? 'Never' : 'Always' };
        await api
          .create(pod, undefined, 'All')
          .catch((error) => assert.fail(`Pod from ${object.kind}/${object.metadata?.name}: ${apiMessage(error)}`));
      }
    });
  }
});
