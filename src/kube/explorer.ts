// What the explorer tree shows, as plain summaries: namespaces, workloads, pods, services, ingresses,
// network policies, secret names. Every call returns a Result so a failure becomes one clear node.
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { describeKubeError, type KubeErrorDescription, type KubeRequestDescription } from './errors';
import { requestJson, type Query, type RequestOptions } from './http';
import { listAllPages, targetNames } from './watch';

export type Result<T> = { ok: true; items: T; warnings?: KubeErrorDescription[] } | { ok: false; error: KubeErrorDescription };

export type ExplorerOptions = Pick<RequestOptions, 'signal' | 'timeoutMs'>;

export interface NamespaceSummary {
  name: string;
  phase?: string;
  labels: Record<string, string>;
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob';

export interface WorkloadSummary {
  kind: WorkloadKind;
  apiVersion: string;
  name: string;
  namespace: string;
  uid?: string;
  /**
   * What compliance depends on, as a version: the spec's generation (status updates leave it alone) and the
   * annotations (suppressions). The same version needs no second analysis.
   */
  version: string;
  /** Ready pods (Jobs: succeeded completions; CronJobs: running jobs). */
  ready: number;
  /** Wanted pods (Jobs: completions; CronJobs: undefined). */
  desired?: number;
  /** spec.selector.matchLabels (undefined for CronJobs, whose pods belong to their Jobs). */
  selector?: Record<string, string>;
  /** The full selector as a label-selector query (matchLabels and matchExpressions), for listPods. */
  labelSelector?: string;
  labels: Record<string, string>;
  /** CronJob only. */
  schedule?: string;
  suspended?: boolean;
}

export type ContainerState = 'running' | 'waiting' | 'terminated' | 'unknown';

export interface ContainerSummary {
  name: string;
  image?: string;
  ready: boolean;
  restarts: number;
  state: ContainerState;
  /** Waiting or terminated reason: CrashLoopBackOff, ImagePullBackOff, Completed… */
  reason?: string;
  init?: true;
}

export interface OwnerSummary {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
}

export interface PodSummary {
  name: string;
  namespace: string;
  uid?: string;
  phase: string;
  /** What kubectl's STATUS column would say: Running, Pending, CrashLoopBackOff, Terminating… */
  status: string;
  /** "ready/total" of the regular containers, as kubectl. */
  ready: string;
  restarts: number;
  containers: ContainerSummary[];
  node?: string;
  labels: Record<string, string>;
  ownerReferences: OwnerSummary[];
}

export interface ServiceSummary {
  name: string;
  namespace: string;
  type: string;
  clusterIP?: string;
  /** `80/TCP→8080`, `443/TCP→https (nodePort 30443)`. */
  ports: string[];
  selector?: Record<string, string>;
}

export interface IngressSummary {
  name: string;
  namespace: string;
  className?: string;
  hosts: string[];
  /** Hosts covered by a TLS section (a bare `tls: [{secretName}]` covers all). */
  tlsHosts: string[];
  tls: boolean;
}

export interface NetworkPolicySummary {
  name: string;
  namespace: string;
  /** Label selector query; empty string selects every pod of the namespace. */
  podSelector: string;
  policyTypes: string[];
}

/** Names and types only: Secret data never leaves the API server for this listing. */
export interface SecretNameSummary {
  name: string;
  namespace: string;
  type: string;
}

// ---------------------------------------------------------------------------------------------------

/**
 * Namespaces of the cluster. Users with only namespace-scoped rights cannot list them: with
 * `fallbackNamespace` (the context's namespace) that case yields that one namespace plus a warning.
 */
export async function listNamespaces(
  kubeConfig: KubeConfig,
  options: ExplorerOptions & { fallbackNamespace?: string } = {},
): Promise<Result<NamespaceSummary[]>> {
  const result = await attempt(kubeConfig, { verb: 'list', resource: 'namespaces' }, async () => {
    const { items } = await listAllPages<KubeObject>(kubeConfig, '/api/v1/namespaces', {}, options);
    return items.map((ns) => ({ name: ns.metadata.name, phase: ns.status?.phase, labels: ns.metadata.labels ?? {} }));
  });
  if (!result.ok && result.error.kind === 'forbidden' && options.fallbackNamespace) {
    return { ok: true, items: [{ name: options.fallbackNamespace, labels: {} }], warnings: [result.error] };
  }
  return result;
}

const WORKLOAD_PATHS: { kind: WorkloadKind; apiVersion: string; resource: string }[] = [
  { kind: 'Deployment', apiVersion: 'apps/v1', resource: 'deployments' },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', resource: 'statefulsets' },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', resource: 'daemonsets' },
  { kind: 'Job', apiVersion: 'batch/v1', resource: 'jobs' },
  { kind: 'CronJob', apiVersion: 'batch/v1', resource: 'cronjobs' },
];

/** Deployments, StatefulSets, DaemonSets, Jobs and CronJobs; a kind that fails is a warning unless all fail. */
export async function listWorkloads(
  kubeConfig: KubeConfig,
  namespace: string,
  options: ExplorerOptions = {},
): Promise<Result<WorkloadSummary[]>> {
  const results = await Promise.all(
    WORKLOAD_PATHS.map(({ kind, apiVersion, resource }) =>
      attempt(kubeConfig, { verb: 'list', resource, namespace }, async () => {
        const { items } = await listAllPages<KubeObject>(
          kubeConfig,
          `/apis/${apiVersion}/namespaces/${namespace}/${resource}`,
          {},
          options,
        );
        return items.map((item) => summarizeWorkload(kind, apiVersion, item));
      }),
    ),
  );
  const failures = results.flatMap((r) => (r.ok ? [] : [r.error]));
  if (failures.length === results.length) return { ok: false, error: failures[0] };
  const items = results.flatMap((r) => (r.ok ? r.items : []));
  return failures.length ? { ok: true, items, warnings: failures } : { ok: true, items };
}

export function summarizeWorkload(kind: WorkloadKind, apiVersion: string, object: KubeObject): WorkloadSummary {
  const spec = object.spec ?? {};
  const status = object.status ?? {};
  const base = {
    kind,
    apiVersion,
    name: object.metadata.name,
    namespace: object.metadata.namespace ?? '',
    uid: object.metadata.uid,
    version: `${object.metadata.generation ?? object.metadata.resourceVersion ?? ''}:${JSON.stringify(object.metadata.annotations ?? {})}:${JSON.stringify(object.metadata.labels ?? {})}`,
    labels: object.metadata.labels ?? {},
    selector: spec.selector?.matchLabels,
    labelSelector: spec.selector ? labelSelectorString(spec.selector) : undefined,
  };
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
      return { ...base, ready: status.readyReplicas ?? 0, desired: spec.replicas ?? 1 };
    case 'DaemonSet':
      return { ...base, ready: status.numberReady ?? 0, desired: status.desiredNumberScheduled ?? 0 };
    case 'Job':
      return { ...base, ready: status.succeeded ?? 0, desired: spec.completions ?? (spec.parallelism === undefined ? 1 : undefined) };
    case 'CronJob':
      return {
        ...base,
        selector: undefined,
        labelSelector: undefined,
        ready: status.active?.length ?? 0,
        schedule: spec.schedule,
        suspended: spec.suspend === true,
      };
  }
}

/** Pods of a namespace, optionally by label selector (a workload's `labelSelector`). */
export async function listPods(
  kubeConfig: KubeConfig,
  namespace: string,
  options: ExplorerOptions & { labelSelector?: string } = {},
): Promise<Result<PodSummary[]>> {
  return attempt(kubeConfig, { verb: 'list', resource: 'pods', namespace }, async () => {
    const query: Query = { labelSelector: options.labelSelector || undefined };
    const { items } = await listAllPages<KubeObject>(kubeConfig, `/api/v1/namespaces/${namespace}/pods`, query, options);
    return items.map(summarizePod);
  });
}

export function summarizePod(pod: KubeObject): PodSummary {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const statuses = new Map<string, KubeObject['status']>((status.containerStatuses ?? []).map((s: { name: string }) => [s.name, s]));
  const initStatuses = new Map<string, KubeObject['status']>(
    (status.initContainerStatuses ?? []).map((s: { name: string }) => [s.name, s]),
  );
  const containers: ContainerSummary[] = [
    ...(spec.initContainers ?? []).map((c: { name: string; image?: string }) => ({
      ...summarizeContainer(c, initStatuses.get(c.name)),
      init: true as const,
    })),
    ...(spec.containers ?? []).map((c: { name: string; image?: string }) => summarizeContainer(c, statuses.get(c.name))),
  ];
  const regular = containers.filter((c) => !c.init);
  const phase: string = status.phase ?? 'Unknown';
  return {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace ?? '',
    uid: pod.metadata.uid,
    phase,
    status: podStatus(pod, regular, containers),
    ready: `${regular.filter((c) => c.ready).length}/${regular.length}`,
    restarts: regular.reduce((sum, c) => sum + c.restarts, 0),
    containers,
    node: spec.nodeName,
    labels: pod.metadata.labels ?? {},
    ownerReferences: (pod.metadata.ownerReferences ?? []).map((o) => ({
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.name,
      uid: o.uid,
      controller: o.controller === true,
    })),
  };
}

function summarizeContainer(container: { name: string; image?: string }, status: KubeObject['status'] | undefined): ContainerSummary {
  const state = status?.state ?? {};
  const which: ContainerState = state.running ? 'running' : state.waiting ? 'waiting' : state.terminated ? 'terminated' : 'unknown';
  const reason: string | undefined = state.waiting?.reason ?? state.terminated?.reason;
  return {
    name: container.name,
    image: container.image,
    ready: status?.ready === true,
    restarts: status?.restartCount ?? 0,
    state: which,
    ...(reason ? { reason } : {}),
  };
}

function podStatus(pod: KubeObject, regular: ContainerSummary[], all: ContainerSummary[]): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  if (pod.status?.reason) return pod.status.reason; // Evicted, NodeLost…
  const initProblem = all.find((c) => c.init && c.state === 'waiting' && c.reason && c.reason !== 'PodInitializing');
  if (initProblem) return `Init:${initProblem.reason}`;
  const waiting = regular.find((c) => c.state === 'waiting' && c.reason);
  if (waiting) return waiting.reason!;
  const failed = regular.find((c) => c.state === 'terminated' && c.reason && c.reason !== 'Completed');
  if (failed) return failed.reason!;
  return pod.status?.phase ?? 'Unknown';
}

export async function listServices(
  kubeConfig: KubeConfig,
  namespace: string,
  options: ExplorerOptions = {},
): Promise<Result<ServiceSummary[]>> {
  return attempt(kubeConfig, { verb: 'list', resource: 'services', namespace }, async () => {
    const { items } = await listAllPages<KubeObject>(kubeConfig, `/api/v1/namespaces/${namespace}/services`, {}, options);
    return items.map((svc) => ({
      name: svc.metadata.name,
      namespace: svc.metadata.namespace ?? namespace,
      type: svc.spec?.type ?? 'ClusterIP',
      clusterIP: svc.spec?.clusterIP,
      ports: (svc.spec?.ports ?? []).map(
        (p: { port: number; protocol?: string; targetPort?: number | string; nodePort?: number }) =>
          `${p.port}/${p.protocol ?? 'TCP'}${p.targetPort !== undefined ? `→${p.targetPort}` : ''}${p.nodePort ? ` (nodePort ${p.nodePort})` : ''}`,
      ),
      selector: svc.spec?.selector,
    }));
  });
}

export async function listIngresses(
  kubeConfig: KubeConfig,
  namespace: string,
  options: ExplorerOptions = {},
): Promise<Result<IngressSummary[]>> {
  return attempt(kubeConfig, { verb: 'list', resource: 'ingresses', namespace }, async () => {
    const path = `/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses`;
    const { items } = await listAllPages<KubeObject>(kubeConfig, path, {}, options);
    return items.map((ing) => {
      const hosts: string[] = (ing.spec?.rules ?? []).map((r: { host?: string }) => r.host ?? '*');
      const tlsSections: { hosts?: string[] }[] = ing.spec?.tls ?? [];
      const tlsHosts = [...new Set(tlsSections.flatMap((t) => t.hosts ?? hosts))];
      return {
        name: ing.metadata.name,
        namespace: ing.metadata.namespace ?? namespace,
        className: ing.spec?.ingressClassName ?? ing.metadata.annotations?.['kubernetes.io/ingress.class'],
        hosts,
        tlsHosts,
        tls: tlsSections.length > 0,
      };
    });
  });
}

export async function listNetworkPolicies(
  kubeConfig: KubeConfig,
  namespace: string,
  options: ExplorerOptions = {},
): Promise<Result<NetworkPolicySummary[]>> {
  return attempt(kubeConfig, { verb: 'list', resource: 'networkpolicies', namespace }, async () => {
    const path = `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies`;
    const { items } = await listAllPages<KubeObject>(kubeConfig, path, {}, options);
    return items.map((np) => ({
      name: np.metadata.name,
      namespace: np.metadata.namespace ?? namespace,
      podSelector: labelSelectorString(np.spec?.podSelector ?? {}),
      policyTypes: np.spec?.policyTypes ?? ['Ingress'],
    }));
  });
}

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io';

interface Table {
  kind?: string;
  columnDefinitions?: { name: string }[];
  rows?: { cells: unknown[] }[];
  metadata?: { continue?: string };
  items?: KubeObject[];
}

/**
 * Secret names and types. Asks for the server-side Table rendering without objects (`includeObject=None`),
 * so values (and the last-applied annotation, which repeats them) never cross the wire.
 */
export async function listSecretNames(
  kubeConfig: KubeConfig,
  namespace: string,
  options: ExplorerOptions = {},
): Promise<Result<SecretNameSummary[]>> {
  return attempt(kubeConfig, { verb: 'list', resource: 'secrets', namespace }, async () => {
    const secrets: SecretNameSummary[] = [];
    let token: string | undefined;
    do {
      const table = await requestJson<Table>(
        kubeConfig,
        `/api/v1/namespaces/${namespace}/secrets`,
        { includeObject: 'None', limit: 500, continue: token },
        { ...options, accept: TABLE_ACCEPT },
      );
      if (table.kind !== 'Table') {
        // A server without Table support sent the full list: keep names and types, drop everything else now.
        for (const s of table.items ?? []) secrets.push({ name: s.metadata.name, namespace, type: s.type ?? 'Opaque' });
        table.items = undefined;
        break;
      }
      const columns = (table.columnDefinitions ?? []).map((c) => c.name.toLowerCase());
      const nameAt = columns.indexOf('name');
      const typeAt = columns.indexOf('type');
      for (const row of table.rows ?? []) {
        secrets.push({ name: String(row.cells[nameAt]), namespace, type: typeAt >= 0 ? String(row.cells[typeAt]) : 'Opaque' });
      }
      token = table.metadata?.continue || undefined;
    } while (token);
    return secrets;
  });
}

// ---------------------------------------------------------------------------------------------------
// Live objects (compliance badge)

/** Built-in kinds the explorer asks about; others are found through discovery. */
const KNOWN_RESOURCES: Record<string, { resource: string; namespaced: boolean }> = {
  'v1/Pod': { resource: 'pods', namespaced: true },
  'v1/Service': { resource: 'services', namespaced: true },
  'v1/ConfigMap': { resource: 'configmaps', namespaced: true },
  'v1/Secret': { resource: 'secrets', namespaced: true },
  'v1/ServiceAccount': { resource: 'serviceaccounts', namespaced: true },
  'v1/Namespace': { resource: 'namespaces', namespaced: false },
  'apps/v1/Deployment': { resource: 'deployments', namespaced: true },
  'apps/v1/StatefulSet': { resource: 'statefulsets', namespaced: true },
  'apps/v1/DaemonSet': { resource: 'daemonsets', namespaced: true },
  'apps/v1/ReplicaSet': { resource: 'replicasets', namespaced: true },
  'batch/v1/Job': { resource: 'jobs', namespaced: true },
  'batch/v1/CronJob': { resource: 'cronjobs', namespaced: true },
  'networking.k8s.io/v1/Ingress': { resource: 'ingresses', namespaced: true },
  'networking.k8s.io/v1/NetworkPolicy': { resource: 'networkpolicies', namespaced: true },
};

const discoveryCache = new WeakMap<KubeConfig, Map<string, Promise<{ name: string; kind: string; namespaced: boolean }[]>>>();

/**
 * The live object as the rule engine should see it: managedFields, status and the last-applied
 * annotation removed; for a Secret, every value masked (keys kept, so key-name rules still work).
 */
export async function getLiveObject(
  kubeConfig: KubeConfig,
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
  name: string,
  options: ExplorerOptions = {},
): Promise<Result<KubernetesObject>> {
  let resource = kind.toLowerCase();
  return attempt(
    kubeConfig,
    () => ({ verb: 'get', resource, namespace, name }),
    async () => {
      const found = KNOWN_RESOURCES[`${apiVersion}/${kind}`] ?? (await discover(kubeConfig, apiVersion, kind, options));
      resource = found.resource;
      const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      const scope = found.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}` : '';
      const object = await requestJson<KubeObject>(
        kubeConfig,
        `${base}${scope}/${found.resource}/${encodeURIComponent(name)}`,
        {},
        options,
      );
      return stripLiveObject(object);
    },
  );
}

async function discover(
  kubeConfig: KubeConfig,
  apiVersion: string,
  kind: string,
  options: ExplorerOptions,
): Promise<{ resource: string; namespaced: boolean }> {
  let perConfig = discoveryCache.get(kubeConfig);
  if (!perConfig) discoveryCache.set(kubeConfig, (perConfig = new Map()));
  let resources = perConfig.get(apiVersion);
  if (!resources) {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    resources = requestJson<{ resources: { name: string; kind: string; namespaced: boolean }[] }>(kubeConfig, path, {}, options).then(
      (r) => r.resources,
    );
    perConfig.set(apiVersion, resources);
    resources.catch(() => perConfig!.delete(apiVersion));
  }
  const match = (await resources).find((r) => r.kind === kind && !r.name.includes('/'));
  if (!match) throw Object.assign(new Error(`${apiVersion} ${kind} is not served by this cluster`), { code: 404 });
  return { resource: match.name, namespaced: match.namespaced };
}

export function stripLiveObject(object: KubeObject): KubernetesObject {
  const { status: _status, ...rest } = object;
  const metadata = { ...rest.metadata };
  delete metadata.managedFields;
  if (metadata.annotations) {
    const { 'kubectl.kubernetes.io/last-applied-configuration': _lastApplied, ...annotations } = metadata.annotations;
    metadata.annotations = annotations;
  }
  const stripped: KubeObject = { ...rest, metadata };
  if (object.kind === 'Secret') {
    for (const field of ['data', 'stringData'] as const) {
      if (stripped[field]) stripped[field] = Object.fromEntries(Object.keys(stripped[field]).map((key) => [key, '<redacted>']));
    }
  }
  return stripped as KubernetesObject;
}

// ---------------------------------------------------------------------------------------------------

/** `{matchLabels, matchExpressions}` → `app=web,tier in (a,b),!legacy`, the query-string form. */
export function labelSelectorString(selector: {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** The loose shape of API JSON this module reads (spec and status vary by kind); callers get the summaries above. */
type Loose = any; // eslint-disable-line @typescript-eslint/no-explicit-any
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
    deletionTimestamp?: string;
    managedFields?: unknown;
    resourceVersion?: string;
    generation?: number;
  };
  spec?: Loose;
  status?: Loose;
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

async function attempt<T>(
  kubeConfig: KubeConfig,
  what: Omit<KubeRequestDescription, 'context' | 'user' | 'server'> | (() => Omit<KubeRequestDescription, 'context' | 'user' | 'server'>),
  run: () => Promise<T>,
): Promise<Result<T>> {
  try {
    return { ok: true, items: await run() };
  } catch (error) {
    const request = typeof what === 'function' ? what() : what;
    return { ok: false, error: describeKubeError(error, { ...targetNames(kubeConfig), ...request }) };
  }
}
