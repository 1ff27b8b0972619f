// Shared reading of workloads for the resources rules: replica counts as an autoscaler sees them,
// which pods run forever, what a namespace's LimitRange fills in, and Kubernetes quantities.
import { asArray, asMap, asString, getIn, podLabelsOf, podSpecOf, selectorMatches, type ContainerAt, type PodSpecAt } from '../../objects';
import type { K8sObject, Path, RelatedReport, WorkspaceIndex } from '../../types';
import { objectLabel, relatedTo } from '../related';

export function namespaceOf(object: K8sObject): string {
  return object.namespace ?? 'default';
}

/** Document path of a field of the object itself (List items live under ['items', i]). */
export function objectPath(object: K8sObject, ...rest: (string | number)[]): Path {
  return [...object.path, ...rest];
}

/** Kinds whose `spec.replicas` says how many identical pods run. */
export const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

/** `spec.replicas` as the API server defaults it (missing = 1); undefined when it is not a number. */
export function specReplicas(object: K8sObject): number | undefined {
  const replicas = getIn(object.value, ['spec', 'replicas']);
  if (replicas === undefined || replicas === null) return 1;
  return typeof replicas === 'number' ? replicas : undefined;
}

export interface Autoscaler {
  object: K8sObject;
  minReplicas: number;
  maxReplicas: number | undefined;
}

/** The HorizontalPodAutoscaler in the workspace that scales this workload, if any. */
export function autoscalerOf(object: K8sObject, workspace: WorkspaceIndex): Autoscaler | undefined {
  const cache = cacheOf(workspace);
  if (!cache.autoscalers) {
    cache.autoscalers = new Map();
    for (const hpa of workspace.ofKind('HorizontalPodAutoscaler')) {
      const target = asMap(getIn(hpa.value, ['spec', 'scaleTargetRef']));
      const kind = asString(target?.kind);
      const name = asString(target?.name);
      if (!kind || !name) continue;
      const key = `${namespaceOf(hpa)}/${kind}/${name}`;
      if (cache.autoscalers.has(key)) continue;
      const min = getIn(hpa.value, ['spec', 'minReplicas']);
      const max = getIn(hpa.value, ['spec', 'maxReplicas']);
      cache.autoscalers.set(key, {
        object: hpa,
        minReplicas: typeof min === 'number' ? min : 1,
        maxReplicas: typeof max === 'number' ? max : undefined,
      });
    }
  }
  return cache.autoscalers.get(`${namespaceOf(object)}/${object.kind}/${object.name}`);
}

/** The autoscaler as a related object: its replica bound decides the finding. */
export function autoscalerRelated(autoscaler: Autoscaler, field: 'minReplicas' | 'maxReplicas'): RelatedReport {
  const value = field === 'minReplicas' ? autoscaler.minReplicas : autoscaler.maxReplicas;
  const set = typeof getIn(autoscaler.object.value, ['spec', field]) === 'number';
  const says = set ? `sets ${field}: ${value}` : field === 'minReplicas' ? 'leaves minReplicas unset (1)' : 'sets no maxReplicas';
  return relatedTo(
    autoscaler.object,
    `${objectLabel(autoscaler.object)} ${says}`,
    set ? [...autoscaler.object.path, 'spec', field] : undefined,
  );
}

export interface ReplicaView {
  /** The fewest pods the workload may run: the HPA's minReplicas when one manages it. */
  min: number;
  /** Whether it may run more than one pod (spec.replicas >= 2, or an HPA allowing it). */
  multi: boolean;
  autoscaler?: Autoscaler;
}

export function replicaView(object: K8sObject, workspace: WorkspaceIndex): ReplicaView | undefined {
  if (!REPLICATED_KINDS.has(object.kind)) return undefined;
  const autoscaler = autoscalerOf(object, workspace);
  if (autoscaler) {
    const max = autoscaler.maxReplicas ?? autoscaler.minReplicas;
    return { min: autoscaler.minReplicas, multi: max >= 2, autoscaler };
  }
  const replicas = specReplicas(object);
  if (replicas === undefined) return undefined;
  return { min: replicas, multi: replicas >= 2 };
}

/** Pod template labels of a workload (what PDBs select), or null when it runs no pods. */
export function workloadLabels(object: K8sObject): Readonly<Record<string, string>> | null {
  const pod = podSpecOf(object);
  return pod ? podLabelsOf(pod) : null;
}

/** A Deployment or StatefulSet that runs (or may scale to) several replicas: its pod spec and replica view. */
export function multiReplicaWorkload(object: K8sObject, workspace: WorkspaceIndex): { pod: PodSpecAt; view: ReplicaView } | undefined {
  if (object.kind !== 'Deployment' && object.kind !== 'StatefulSet') return undefined;
  const pod = podSpecOf(object);
  const view = pod && replicaView(object, workspace);
  return pod && view?.multi ? { pod, view } : undefined;
}

/**
 * A PodDisruptionBudget's selector against pod labels. policy/v1beta1 treated an empty selector as
 * matching nothing; policy/v1 matches every pod in the namespace.
 */
export function pdbSelects(pdb: K8sObject, labels: Record<string, string>): boolean {
  const selector = asMap(getIn(pdb.value, ['spec', 'selector']));
  if (!selector) return false;
  if (pdb.apiVersion === 'policy/v1beta1' && Object.keys(selector).length === 0) return false;
  return selectorMatches(selector, labels);
}

/**
 * Whether the pod runs until deleted: controllers that keep replicas alive, and bare Pods or
 * PodTemplates whose restartPolicy is Always (the default). Jobs and CronJobs run to completion.
 */
export function isLongRunning(object: K8sObject, pod: PodSpecAt): boolean {
  if (object.kind === 'Job' || object.kind === 'CronJob') return false;
  const restartPolicy = pod.spec.restartPolicy;
  return restartPolicy === undefined || restartPolicy === null || restartPolicy === 'Always';
}

/**
 * Containers that can carry liveness/readiness probes: app containers, and native sidecars (init
 * containers with restartPolicy: Always), which run for the pod's life. Plain init containers
 * run to completion and may not have probes; ephemeral containers may not either.
 */
export function probedContainers(containers: readonly ContainerAt[]): ContainerAt[] {
  return containers.filter((c) => c.list === 'containers' || (c.list === 'initContainers' && c.container.restartPolicy === 'Always'));
}

export interface DeclaredPort {
  number?: number;
  name?: string;
  protocol: string;
}

export function declaredPorts(container: ContainerAt): DeclaredPort[] {
  const ports: DeclaredPort[] = [];
  for (const item of asArray(container.container.ports)) {
    const port = asMap(item);
    if (!port) continue;
    const number = typeof port.containerPort === 'number' ? port.containerPort : undefined;
    const name = asString(port.name) || undefined;
    if (number === undefined && name === undefined) continue;
    ports.push({ number, name, protocol: asString(port.protocol) ?? 'TCP' });
  }
  return ports;
}

/**
 * A TCP socket probe on the container's first TCP port (by name when it has one), or undefined
 * when the container declares no TCP port: then we cannot guess what to probe.
 */
export function tcpProbeFor(
  container: ContainerAt,
  timing: Record<string, number>,
): { probe: Record<string, unknown>; port: string | number } | undefined {
  const first = declaredPorts(container).find((p) => p.protocol === 'TCP' && p.number !== undefined);
  if (!first) return undefined;
  const port = first.name ?? first.number!;
  return { probe: { tcpSocket: { port }, ...timing }, port };
}

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;
const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes resource quantity ('250m', '1.5', '2Gi', 1) in base units; undefined when malformed. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY.exec(value.trim());
  if (!match) return undefined;
  const base = Number(match[1]);
  if (match[2] !== undefined) return base * 10 ** Number(match[2]);
  return match[3] ? base * SUFFIX[match[3]] : base;
}

export type ResourceKind = 'requests' | 'limits';

/** A resource amount is set when it has a value; `cpu:` with nothing after it is not a value. */
export function hasAmount(resources: unknown, kind: ResourceKind, resource: string): boolean {
  const value = getIn(resources, [kind, resource]);
  return value !== undefined && value !== null && value !== '';
}

/**
 * Resources a namespace's LimitRanges (type Container) fill in at admission, per kind. Mirrors the
 * API defaulting: a missing default limit takes `max`; a missing default request takes the
 * default limit, else `min`.
 */
export function limitRangeDefaults(namespace: string, workspace: WorkspaceIndex): Record<ResourceKind, Set<string>> {
  const cache = cacheOf(workspace);
  if (!cache.limitRangeDefaults) {
    cache.limitRangeDefaults = new Map();
    for (const limitRange of workspace.ofKind('LimitRange')) {
      const key = namespaceOf(limitRange);
      let result = cache.limitRangeDefaults.get(key);
      if (!result) cache.limitRangeDefaults.set(key, (result = { requests: new Set(), limits: new Set() }));
      for (const item of asArray(getIn(limitRange.value, ['spec', 'limits']))) {
        const limit = asMap(item);
        if (!limit || limit.type !== 'Container') continue;
        for (const field of ['default', 'max']) for (const resource of Object.keys(asMap(limit[field]) ?? {})) result.limits.add(resource);
        for (const field of ['defaultRequest', 'default', 'max', 'min'])
          for (const resource of Object.keys(asMap(limit[field]) ?? {})) result.requests.add(resource);
      }
    }
  }
  return cache.limitRangeDefaults.get(namespace) ?? NO_DEFAULTS;
}

const NO_DEFAULTS: Record<ResourceKind, Set<string>> = { requests: new Set(), limits: new Set() };

/** Objects of a kind grouped by namespace, built once per workspace. */
export function inNamespace(kind: string, namespace: string, workspace: WorkspaceIndex): readonly K8sObject[] {
  const cache = cacheOf(workspace);
  let byNamespace = cache.byKindAndNamespace.get(kind);
  if (!byNamespace) {
    byNamespace = new Map();
    for (const object of workspace.ofKind(kind)) {
      const key = namespaceOf(object);
      const list = byNamespace.get(key);
      if (list) list.push(object);
      else byNamespace.set(key, [object]);
    }
    cache.byKindAndNamespace.set(kind, byNamespace);
  }
  return byNamespace.get(namespace) ?? [];
}

/**
 * Lookups that every workload would otherwise repeat over the whole workspace. The index is
 * immutable for one analysis, so caching per index instance is safe.
 */
interface WorkspaceCache {
  autoscalers?: Map<string, Autoscaler>;
  limitRangeDefaults?: Map<string, Record<ResourceKind, Set<string>>>;
  byKindAndNamespace: Map<string, Map<string, K8sObject[]>>;
}

const CACHES = new WeakMap<WorkspaceIndex, WorkspaceCache>();

function cacheOf(workspace: WorkspaceIndex): WorkspaceCache {
  let cache = CACHES.get(workspace);
  if (!cache) CACHES.set(workspace, (cache = { byKindAndNamespace: new Map() }));
  return cache;
}
