// Cross-object lookups for the blockchain rules: the pods a Service selects, the Service an Ingress
// routes to, the NetworkPolicies that select a pod. Grouped by namespace once per workspace index
// (the index is immutable for one analysis).
import { asArray, asMap, asString, containersOf, getIn, isMap, podSpecOf, selectorMatches } from '../../objects';
import type { K8sObject, Path, RelatedReport, WorkspaceIndex } from '../../types';
import { objectLabel, relatedTo } from '../related';
import { isNodeWorkload, nodeContainers } from './nodes';
import { labelSelectorMatches, namespaceOf, networkPoliciesIn, policyTypesOf, workloadsIn, type Workload } from '../network/policies';

// Pods and NetworkPolicies by namespace come from the network group's index of the workspace.
export { namespaceOf, networkPoliciesIn };
export type PodOwner = Workload;

const SERVICES = new WeakMap<WorkspaceIndex, Map<string, K8sObject[]>>();

function servicesIn(namespace: string, workspace: WorkspaceIndex): readonly K8sObject[] {
  let byNamespace = SERVICES.get(workspace);
  if (!byNamespace) {
    byNamespace = new Map();
    for (const service of workspace.ofKind('Service')) {
      const list = byNamespace.get(namespaceOf(service));
      if (list) list.push(service);
      else byNamespace.set(namespaceOf(service), [service]);
    }
    SERVICES.set(workspace, byNamespace);
  }
  return byNamespace.get(namespace) ?? [];
}

export function podsIn(namespace: string, workspace: WorkspaceIndex): readonly PodOwner[] {
  return workloadsIn(namespace, workspace);
}

/** A NetworkPolicy podSelector: missing or empty selects every pod of the namespace. */
export function policySelects(policy: K8sObject, labels: Record<string, string>): boolean {
  return labelSelectorMatches(getIn(policy.value, ['spec', 'podSelector']), labels);
}

/** Without `policyTypes` the API server defaults to Ingress (plus Egress when egress rules exist). */
export function policyIsolatesIngress(policy: K8sObject): boolean {
  return policyTypesOf(policy).has('Ingress');
}

/** The pods of the workspace a Service's selector picks (equality selector only). */
export function servicePods(service: K8sObject, workspace: WorkspaceIndex): PodOwner[] {
  const selector = getIn(service.value, ['spec', 'selector']);
  if (!isMap(selector) || Object.keys(selector).length === 0) return [];
  const wanted = Object.fromEntries(Object.entries(selector).map(([k, v]) => [k, String(v)]));
  return podsIn(namespaceOf(service), workspace).filter((owner) => selectorMatches({ matchLabels: wanted }, owner.labels));
}

export function serviceNamed(namespace: string, name: string, workspace: WorkspaceIndex): K8sObject | undefined {
  return servicesIn(namespace, workspace).find((s) => s.name === name);
}

export interface ServicePort {
  index: number;
  path: Path;
  port?: number;
  name?: string;
  /** The container port numbers traffic reaches: targetPort as a number, or resolved by name. */
  targets: number[];
  protocol: string;
}

/** A Service's ports with their targets resolved against the selected pods' container ports. */
export function servicePorts(service: K8sObject, pods: readonly PodOwner[]): ServicePort[] {
  const result: ServicePort[] = [];
  asArray(getIn(service.value, ['spec', 'ports'])).forEach((item, index) => {
    const entry = asMap(item);
    if (!entry) return;
    const port = typeof entry.port === 'number' ? entry.port : undefined;
    const target = entry.targetPort ?? port;
    const targets = new Set<number>();
    if (typeof target === 'number') targets.add(target);
    else if (typeof target === 'string' && /^\d+$/.test(target)) targets.add(Number(target));
    else if (typeof target === 'string') {
      for (const owner of pods)
        for (const container of containersOf(owner.pod))
          for (const p of asArray(container.container.ports)) {
            const declared = asMap(p);
            if (declared && declared.name === target && typeof declared.containerPort === 'number') targets.add(declared.containerPort);
          }
    }
    result.push({
      index,
      path: [...service.path, 'spec', 'ports', index],
      port,
      name: asString(entry.name),
      targets: [...targets],
      protocol: asString(entry.protocol) ?? 'TCP',
    });
  });
  return result;
}

/** The node workloads behind a Service: the finding is about their ports, so it links to them. */
export function nodesRelated(pods: readonly PodOwner[]): RelatedReport[] {
  return pods
    .filter((owner) => isNodeWorkload(owner.object, { byPortOnly: true }))
    .map((owner) => {
      const pod = podSpecOf(owner.object)!;
      const node = nodeContainers(owner.object, pod, containersOf(pod))[0];
      const what = node?.client ? `runs the ${node.client.name} node` : 'runs a blockchain node';
      return relatedTo(owner.object, `${objectLabel(owner.object)} ${what}`, node?.container.path);
    });
}

/** The Service port an Ingress backend reaches, as a related entry. */
export function servicePortRelated(service: K8sObject, port: ServicePort): RelatedReport {
  const target =
    port.targets.length && !(port.targets.length === 1 && port.targets[0] === port.port) ? ` (target ${port.targets.join(', ')})` : '';
  return relatedTo(service, `${objectLabel(service)} exposes port ${port.port ?? `"${port.name}"`}${target}`, port.path);
}

export function isExternalService(service: K8sObject): boolean {
  const type = getIn(service.value, ['spec', 'type']);
  return type === 'LoadBalancer' || type === 'NodePort';
}

export interface IngressBackend {
  path: Path;
  service: string;
  port?: number | string;
}

/** Every service backend of an Ingress (default backend and each rule path), networking.k8s.io/v1 and v1beta1. */
export function ingressBackends(ingress: K8sObject): IngressBackend[] {
  const result: IngressBackend[] = [];
  const add = (backend: unknown, path: Path) => {
    const map = asMap(backend);
    if (!map) return;
    const v1 = asMap(map.service);
    if (v1) {
      const name = asString(v1.name);
      const port = asMap(v1.port);
      if (name)
        result.push({ path: [...path, 'service'], service: name, port: (port?.number as number | undefined) ?? asString(port?.name) });
      return;
    }
    const name = asString(map.serviceName);
    if (name) result.push({ path, service: name, port: map.servicePort as number | string | undefined });
  };
  const spec = [...ingress.path, 'spec'];
  add(getIn(ingress.value, ['spec', 'defaultBackend']), [...spec, 'defaultBackend']);
  add(getIn(ingress.value, ['spec', 'backend']), [...spec, 'backend']);
  asArray(getIn(ingress.value, ['spec', 'rules'])).forEach((rule, r) => {
    asArray(getIn(rule, ['http', 'paths'])).forEach((p, i) =>
      add(getIn(p, ['backend']), [...spec, 'rules', r, 'http', 'paths', i, 'backend']),
    );
  });
  return result;
}
