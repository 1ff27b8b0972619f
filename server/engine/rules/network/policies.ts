// Shared reading of network objects for the network rules: which NetworkPolicies select a pod, which
// of them are default-deny, which workloads a Service or a policy selects. Every lookup is grouped by
// namespace once per workspace index (the index is immutable for one analysis).
import { asArray, asMap, asString, getIn, isMap, podLabelsOf, podSpecOf, selectorMatches, type PodSpecAt, ownValue } from '../../objects';
import type { K8sObject, Path, WorkspaceIndex } from '../../types';

export type PolicyType = 'Ingress' | 'Egress';

export function namespaceOf(object: K8sObject): string {
  return object.namespace ?? 'default';
}

/** Document path of a field of the object itself (List items live under ['items', i]). */
export function objectPath(object: K8sObject, ...rest: (string | number)[]): Path {
  return [...object.path, ...rest];
}

/** The Kubernetes NetworkPolicy; Calico's projectcalico.org NetworkPolicy shares the kind name. */
export function isKubeNetworkPolicy(object: K8sObject): boolean {
  return object.kind === 'NetworkPolicy' && object.apiVersion.startsWith('networking.k8s.io/');
}

/**
 * The directions a policy isolates. Without `policyTypes` the API server defaults to Ingress, plus
 * Egress when the policy has egress rules.
 */
export function policyTypesOf(policy: K8sObject): Set<PolicyType> {
  const spec = asMap(policy.value.spec) ?? {};
  const declared = asArray(spec.policyTypes).filter((t): t is PolicyType => t === 'Ingress' || t === 'Egress');
  if (spec.policyTypes !== undefined && spec.policyTypes !== null) return new Set(declared);
  const types = new Set<PolicyType>(['Ingress']);
  if (asArray(spec.egress).length > 0) types.add('Egress');
  return types;
}

/**
 * A LabelSelector as the API reads it: a missing or null selector is the empty one, which selects
 * every pod of the namespace (NetworkPolicy.spec.podSelector is a non-pointer struct).
 */
export function labelSelectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  const map = asMap(selector);
  if (!map) return selector === undefined || selector === null;
  return selectorMatches({ matchLabels: asMap(map.matchLabels) ?? {}, matchExpressions: asArray(map.matchExpressions) }, labels);
}

export function isEmptySelector(selector: unknown): boolean {
  if (selector === undefined || selector === null) return true;
  const map = asMap(selector);
  if (!map) return false;
  return Object.keys(asMap(map.matchLabels) ?? {}).length === 0 && asArray(map.matchExpressions).length === 0;
}

/** A policy that selects every pod of its namespace and allows nothing in the given direction. */
export function isDefaultDeny(policy: K8sObject, type: PolicyType): boolean {
  if (!isKubeNetworkPolicy(policy)) return false;
  const spec = asMap(policy.value.spec) ?? {};
  if (!isEmptySelector(spec.podSelector)) return false;
  if (!policyTypesOf(policy).has(type)) return false;
  return asArray(type === 'Ingress' ? spec.ingress : spec.egress).length === 0;
}

export interface Workload {
  object: K8sObject;
  pod: PodSpecAt;
  labels: Record<string, string>;
}

/**
 * Third-party policies we cannot evaluate exactly (Calico selectors are an expression language,
 * cluster-wide policies span namespaces). When one may apply we stay silent rather than guess.
 */
const OPAQUE_CLUSTER_POLICY_KINDS = ['GlobalNetworkPolicy', 'CiliumClusterwideNetworkPolicy'];

interface NetworkCache {
  policies: Map<string, K8sObject[]>;
  ciliumPolicies: Map<string, K8sObject[]>;
  calicoNamespaces: Set<string>;
  clusterWidePolicies: boolean;
}

const CACHES = new WeakMap<WorkspaceIndex, NetworkCache>();

function cacheOf(workspace: WorkspaceIndex): NetworkCache {
  let cache = CACHES.get(workspace);
  if (cache) return cache;
  cache = { policies: new Map(), ciliumPolicies: new Map(), calicoNamespaces: new Set(), clusterWidePolicies: false };
  for (const policy of workspace.ofKind('NetworkPolicy')) {
    if (isKubeNetworkPolicy(policy)) push(cache.policies, namespaceOf(policy), policy);
    else if (policy.apiVersion.startsWith('projectcalico.org/') || policy.apiVersion.startsWith('crd.projectcalico.org/'))
      cache.calicoNamespaces.add(namespaceOf(policy));
  }
  for (const policy of workspace.ofKind('CiliumNetworkPolicy')) push(cache.ciliumPolicies, namespaceOf(policy), policy);
  cache.clusterWidePolicies = OPAQUE_CLUSTER_POLICY_KINDS.some((kind) => workspace.ofKind(kind).length > 0);
  CACHES.set(workspace, cache);
  return cache;
}

/** A workload entry for an object that runs pods; depends on the object alone, as groupedBy requires. */
function workloadEntry(object: K8sObject): [string, Workload] | undefined {
  const pod = podSpecOf(object);
  return pod ? [namespaceOf(object), { object, pod, labels: podLabelsOf(pod) }] : undefined;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Kubernetes NetworkPolicies of a namespace. */
export function networkPoliciesIn(namespace: string, workspace: WorkspaceIndex): readonly K8sObject[] {
  return cacheOf(workspace).policies.get(namespace) ?? [];
}

/** NetworkPolicies of the pod's namespace whose podSelector matches its labels. */
export function policiesSelecting(namespace: string, labels: Record<string, string>, workspace: WorkspaceIndex): K8sObject[] {
  return networkPoliciesIn(namespace, workspace).filter((policy) =>
    labelSelectorMatches(getIn(policy.value, ['spec', 'podSelector']), labels),
  );
}

/**
 * Whether a policy engine other than Kubernetes NetworkPolicy may isolate pods of the namespace:
 * a cluster-wide Calico/Cilium policy, a Calico policy in the namespace, or a CiliumNetworkPolicy
 * whose endpointSelector matches (all of them when labels are not given).
 */
export function otherPolicyMayApply(namespace: string, workspace: WorkspaceIndex, labels?: Record<string, string>): boolean {
  const cache = cacheOf(workspace);
  if (cache.clusterWidePolicies || cache.calicoNamespaces.has(namespace)) return true;
  const cilium = cache.ciliumPolicies.get(namespace) ?? [];
  if (!labels) return cilium.length > 0;
  return cilium.some((policy) => labelSelectorMatches(getIn(policy.value, ['spec', 'endpointSelector']), labels));
}

/** Objects that run pods (Deployments, StatefulSets, Jobs, bare Pods…) in a namespace. */
export function workloadsIn(namespace: string, workspace: WorkspaceIndex): readonly Workload[] {
  return workspace.groupedBy('workloads by namespace', workloadEntry)(namespace);
}

/** A Service selector: a plain label map, equality only. */
export function serviceSelectorOf(service: K8sObject): Record<string, string> | undefined {
  const selector = getIn(service.value, ['spec', 'selector']);
  if (!isMap(selector)) return undefined;
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(selector)) {
    if (value === null || value === undefined) continue;
    result[key] = String(value);
  }
  return result;
}

export function serviceSelects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector)) if (ownValue(labels, key) !== value) return false;
  return true;
}

/**
 * Workloads a Service routes to. Undefined when the Service has no selector (ExternalName, or
 * endpoints managed by hand): then it selects nothing by design.
 */
export function serviceWorkloads(service: K8sObject, workspace: WorkspaceIndex): Workload[] | undefined {
  if (asString(getIn(service.value, ['spec', 'type'])) === 'ExternalName') return undefined;
  const selector = serviceSelectorOf(service);
  if (!selector || Object.keys(selector).length === 0) return undefined;
  return workloadsIn(namespaceOf(service), workspace).filter((w) => serviceSelects(selector, w.labels));
}

const ANY_ADDRESS = new Set(['0.0.0.0/0', '::/0', '0::/0', '0:0:0:0:0:0:0:0/0']);

/** A CIDR that admits every address (IPv4 or IPv6). */
export function isAnyAddress(cidr: unknown): boolean {
  return typeof cidr === 'string' && ANY_ADDRESS.has(cidr.trim());
}
