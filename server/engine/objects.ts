// A typed view of Kubernetes objects: which documents are objects, where a pod spec lives in each
// workload kind, and the containers in it. Paths returned here are document paths, ready to report.
import type { K8sObject, Path } from './types';

export type Json = Record<string, unknown>;

export function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asMap(value: unknown): Json | undefined {
  return isMap(value) ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * A table's own entry for a key read from a manifest: `kind: constructor` must not find
 * Object.prototype's members. Every lookup keyed by data goes through this (or a Map).
 */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Reads a nested value; undefined when any step is missing. */
export function getIn(value: unknown, path: Path): unknown {
  let current = value;
  for (const key of path) {
    if (typeof key === 'number') current = Array.isArray(current) ? current[key] : undefined;
    else current = isMap(current) ? ownValue(current, key) : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** The Kubernetes objects of one document: the object itself, or each item of a `List`. */
export function objectsOfDocument(value: unknown, file: string, docIndex: number): K8sObject[] {
  if (!isKubernetesObject(value)) return [];
  if (value.kind === 'List' || (value.kind.endsWith('List') && Array.isArray(value.items))) {
    return asArray(value.items).flatMap((item, i) => (isKubernetesObject(item) ? [toObject(item, ['items', i], file, docIndex)] : []));
  }
  return [toObject(value, [], file, docIndex)];
}

function isKubernetesObject(value: unknown): value is Json & { kind: string; apiVersion: string } {
  return isMap(value) && typeof value.kind === 'string' && typeof value.apiVersion === 'string';
}

function toObject(value: Json & { kind: string; apiVersion: string }, path: Path, file: string, docIndex: number): K8sObject {
  const metadata = asMap(value.metadata);
  return {
    kind: value.kind,
    apiVersion: value.apiVersion,
    name: asString(metadata?.name) ?? asString(metadata?.generateName) ?? '',
    namespace: asString(metadata?.namespace),
    value,
    path,
    file,
    docIndex,
  };
}

/** Where the pod template sits in each kind that runs pods, relative to the object. */
const POD_TEMPLATE_PATHS: ReadonlyMap<string, Path> = new Map([
  ['Pod', []],
  ['PodTemplate', ['template']],
  ['Deployment', ['spec', 'template']],
  ['StatefulSet', ['spec', 'template']],
  ['DaemonSet', ['spec', 'template']],
  ['ReplicaSet', ['spec', 'template']],
  ['ReplicationController', ['spec', 'template']],
  ['Job', ['spec', 'template']],
  ['CronJob', ['spec', 'jobTemplate', 'spec', 'template']],
]);

export interface PodSpecAt {
  spec: Json;
  /** Document path of the pod spec. */
  path: Path;
  /** The pod template's metadata (labels, annotations) and its document path. */
  metadata: Json;
  metadataPath: Path;
}

// Every rule asks for the same pod spec and containers: work them out once per object.
const podSpecs = new WeakMap<K8sObject, PodSpecAt | null>();
const containerLists = new WeakMap<PodSpecAt, readonly ContainerAt[]>();

/** The pod spec of a workload, or undefined for kinds that run no pods (or a template without spec). */
export function podSpecOf(object: K8sObject): PodSpecAt | undefined {
  let pod = podSpecs.get(object);
  if (pod === undefined) podSpecs.set(object, (pod = findPodSpec(object) ?? null));
  return pod ?? undefined;
}

function findPodSpec(object: K8sObject): PodSpecAt | undefined {
  const templatePath = POD_TEMPLATE_PATHS.get(object.kind);
  if (!templatePath) return undefined;
  const spec = asMap(getIn(object.value, [...templatePath, 'spec']));
  if (!spec) return undefined;
  return {
    spec,
    path: [...object.path, ...templatePath, 'spec'],
    metadata: asMap(getIn(object.value, [...templatePath, 'metadata'])) ?? {},
    metadataPath: [...object.path, ...templatePath, 'metadata'],
  };
}

export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface ContainerAt {
  container: Json;
  path: Path;
  list: ContainerList;
  name: string;
  /** A label for messages: `container "api"`, `init container "migrate"`. */
  label: string;
}

const LIST_LABELS: Record<ContainerList, string> = {
  containers: 'container',
  initContainers: 'init container',
  ephemeralContainers: 'ephemeral container',
};

export function containersOf(pod: PodSpecAt): readonly ContainerAt[] {
  let containers = containerLists.get(pod);
  if (!containers) containerLists.set(pod, (containers = findContainers(pod)));
  return containers;
}

function findContainers(pod: PodSpecAt): ContainerAt[] {
  const result: ContainerAt[] = [];
  for (const list of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
    asArray(pod.spec[list]).forEach((container, i) => {
      if (!isMap(container)) return;
      const name = asString(container.name) ?? `#${i + 1}`;
      result.push({ container, path: [...pod.path, list, i], list, name, label: `${LIST_LABELS[list]} "${name}"` });
    });
  }
  return result;
}

/**
 * Reads a security setting where Kubernetes inherits it: the container's securityContext wins,
 * else the pod's securityContext. Returns the value and where it was found.
 */
export function effectiveSecurityValue(pod: PodSpecAt, container: ContainerAt, key: string): { value: unknown; path?: Path } {
  const own = getIn(container.container, ['securityContext', key]);
  if (own !== undefined && own !== null) return { value: own, path: [...container.path, 'securityContext', key] };
  const inherited = getIn(pod.spec, ['securityContext', key]);
  if (inherited !== undefined && inherited !== null) return { value: inherited, path: [...pod.path, 'securityContext', key] };
  return { value: undefined };
}

const podLabels = new WeakMap<PodSpecAt, Readonly<Record<string, string>>>();

/**
 * The labels of a pod template, read once per pod spec: several rules and the workspace caches ask for
 * them for every workload of the workspace on every analysis.
 */
export function podLabelsOf(pod: PodSpecAt): Readonly<Record<string, string>> {
  let labels = podLabels.get(pod);
  if (!labels) podLabels.set(pod, (labels = labelsOf({ metadata: pod.metadata })));
  return labels;
}

export function labelsOf(value: unknown): Record<string, string> {
  const labels = asMap(getIn(value, ['metadata', 'labels'])) ?? {};
  return Object.fromEntries(Object.entries(labels).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

export function annotationsOf(value: unknown): Record<string, unknown> {
  return asMap(getIn(value, ['metadata', 'annotations'])) ?? {};
}

/** Kubernetes label selector matching (matchLabels and matchExpressions). */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  const map = asMap(selector);
  if (!map) return false;
  const matchLabels = asMap(map.matchLabels) ?? (map.matchExpressions === undefined ? map : {});
  for (const [key, expected] of Object.entries(matchLabels)) {
    if (ownValue(labels, key) !== String(expected)) return false;
  }
  for (const expression of asArray(map.matchExpressions)) {
    const e = asMap(expression);
    if (!e) continue;
    const key = asString(e.key) ?? '';
    const values = asArray(e.values).map(String);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** Kinds that live outside namespaces. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'PodSecurityPolicy',
  'CertificateSigningRequest',
  'ClusterIssuer',
]);
