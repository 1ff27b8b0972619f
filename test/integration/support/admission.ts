// What "accepted by a real API server" means for the templates and chart scaffolds we ship: a server-side
// apply dry run of every object, and a Pod made from each pod template created in a namespace that enforces
// the restricted Pod Security Standard (admission enforces on Pods and only warns on workloads).
import assert from 'node:assert/strict';
import { KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';

/** Objects walked by key path: their shape is whatever the template or chart wrote. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const FIELD_MANAGER = 'fintech-k8s-tests';
const POD_TEMPLATE = new Map<string, string[]>([
  ['Deployment', ['spec', 'template']],
  ['StatefulSet', ['spec', 'template']],
  ['DaemonSet', ['spec', 'template']],
  ['Job', ['spec', 'template']],
  ['CronJob', ['spec', 'jobTemplate', 'spec', 'template']],
]);

export function apiMessage(error: unknown): string {
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

export async function createRestrictedNamespace(api: KubernetesObjectApi, name: string): Promise<void> {
  await api.create({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' },
    },
  });
}

export async function deleteNamespace(api: KubernetesObjectApi | undefined, name: string): Promise<void> {
  await api?.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }).catch(() => undefined);
}

/** Fails the test with the API server's own message for the first object or Pod it refuses. */
export async function assertAdmitted(api: KubernetesObjectApi, objects: readonly KubernetesObject[], namespace: string): Promise<void> {
  // Pod admission looks the ServiceAccount up, even in a dry run: create those for real first.
  for (const account of objects.filter((o) => o.kind === 'ServiceAccount'))
    await api.patch(account, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  for (const object of objects) {
    await api
      .patch(object, undefined, 'All', FIELD_MANAGER, true, PatchStrategy.ServerSideApply)
      .catch((error) => assert.fail(`${object.kind}/${object.metadata?.name}: ${apiMessage(error)}`));
    const pod = podOf(object, namespace);
    if (!pod) continue;
    await api
      .create(pod, undefined, 'All')
      .catch((error) => assert.fail(`Pod from ${object.kind}/${object.metadata?.name}: ${apiMessage(error)}`));
  }
}

/** The Pod a controller would make from the object's pod template, or undefined when it has none. */
function podOf(object: KubernetesObject, namespace: string): KubernetesObject | undefined {
  const templatePath = POD_TEMPLATE.get(object.kind ?? '');
  if (!templatePath) return undefined;
  let podTemplate: Loose = object;
  for (const key of templatePath) podTemplate = podTemplate?.[key];
  // The StatefulSet controller adds a volume per claim template; a Pod made by hand needs them too.
  const claims = (object as Loose).spec?.volumeClaimTemplates ?? [];
  const claimVolumes = claims.map((claim: Loose) => ({
    name: claim.metadata.name,
    persistentVolumeClaim: { claimName: `${claim.metadata.name}-${object.metadata!.name}-0` },
  }));
  const spec = { ...podTemplate.spec, volumes: [...(podTemplate.spec.volumes ?? []), ...claimVolumes] };
  if (spec.volumes.length === 0) delete spec.volumes;
  spec.restartPolicy ??= object.kind === 'Job' || object.kind === 'CronJob' ? 'Never' : 'Always';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${object.metadata!.name}-pod`, namespace, labels: podTemplate.metadata?.labels },
    spec,
  } as KubernetesObject;
}
