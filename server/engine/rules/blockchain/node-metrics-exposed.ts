import { asArray, asMap, containersOf, getIn, isMap, podLabelsOf, podSpecOf } from '../../objects';
import type { K8sObject, Path, RelatedReport, Rule, RuleContext } from '../../types';
import { objectLabel, relatedTo } from '../related';
import { findFlag, isNodeWorkload, nodeContainers } from './nodes';
import {
  ingressBackends,
  isExternalService,
  namespaceOf,
  networkPoliciesIn,
  nodesRelated,
  policyIsolatesIngress,
  policySelects,
  serviceNamed,
  servicePortRelated,
  servicePods,
  servicePorts,
  type PodOwner,
  type ServicePort,
} from './workspace';

/** pprof / metrics ports of geth-family clients (6060) and their usual second instance (6061). */
const METRICS_PORTS = new Set([6060, 6061]);
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i;

function metricsPortsOf(port: ServicePort, pods: readonly PodOwner[]): number[] {
  if (pods.length > 0 && !pods.some((p) => isNodeWorkload(p.object, { byPortOnly: true }))) return [];
  const numbers = new Set(port.targets);
  if (port.port !== undefined) numbers.add(port.port);
  return [...numbers].filter((n) => METRICS_PORTS.has(n));
}

/** Whether an ingress rule's peers include sources outside the namespace that nobody picked (anyone). */
function admitsAnyone(rule: unknown): boolean {
  const from = asArray(getIn(rule, ['from']));
  if (from.length === 0) return true;
  return from.some((peer) => {
    const p = asMap(peer);
    if (!p) return false;
    const cidr = getIn(p, ['ipBlock', 'cidr']);
    if ((cidr === '0.0.0.0/0' || cidr === '::/0') && asArray(getIn(p, ['ipBlock', 'except'])).length === 0) return true;
    const ns = p.namespaceSelector;
    const emptyNs = isMap(ns) && Object.keys(asMap(ns.matchLabels) ?? {}).length === 0 && asArray(ns.matchExpressions).length === 0;
    const pods = p.podSelector;
    const emptyPods =
      pods === undefined ||
      (isMap(pods) && Object.keys(asMap(pods.matchLabels) ?? {}).length === 0 && asArray(pods.matchExpressions).length === 0);
    return emptyNs && emptyPods;
  });
}

function rulePorts(rule: unknown): (number | string)[] | 'all' {
  const ports = asArray(getIn(rule, ['ports']));
  if (ports.length === 0) return 'all';
  return ports.map((p) => getIn(p, ['port']) as number | string).filter((p) => p !== undefined);
}

interface Reach {
  why: string;
  /** The NetworkPolicy that lets anyone in, when one does. */
  related?: RelatedReport[];
}

/** Why the port is reachable from other namespaces, or undefined when policies keep it in. */
function reachableFromOutside(object: K8sObject, port: number, portName: string | undefined, context: RuleContext): Reach | undefined {
  const pod = podSpecOf(object)!;
  const labels = podLabelsOf(pod);
  const policies = networkPoliciesIn(namespaceOf(object), context.workspace).filter(
    (p) => policySelects(p, labels) && policyIsolatesIngress(p),
  );
  if (policies.length === 0) return { why: 'no NetworkPolicy restricts ingress to the pod, so every pod of the cluster can reach it' };
  for (const policy of policies) {
    const rules = asArray(getIn(policy.value, ['spec', 'ingress']));
    for (let r = 0; r < rules.length; r++) {
      const ports = rulePorts(rules[r]);
      const covers = ports === 'all' || ports.some((p) => p === port || (portName !== undefined && p === portName));
      if (covers && admitsAnyone(rules[r]))
        return {
          why: `NetworkPolicy "${policy.name}" admits it from any source`,
          related: [
            relatedTo(policy, `${objectLabel(policy)} admits port ${port} from any source`, [...policy.path, 'spec', 'ingress', r]),
          ],
        };
    }
  }
  return undefined;
}

function checkWorkload(object: K8sObject, context: RuleContext): void {
  const pod = podSpecOf(object);
  if (!pod) return;
  for (const { container } of nodeContainers(object, pod, containersOf(pod))) {
    const reported = new Set<number>();
    asArray(container.container.ports).forEach((item, i) => {
      const declared = asMap(item);
      const number = declared?.containerPort;
      if (!declared || typeof number !== 'number' || !METRICS_PORTS.has(number)) return;
      const base: Path = [...container.path, 'ports', i];
      if (declared.hostPort !== undefined && declared.hostPort !== null) {
        context.report({
          path: [...base, 'hostPort'],
          message: `${container.label} publishes pprof/metrics port ${number} on the node's address (hostPort ${declared.hostPort}).`,
        });
        reported.add(number);
        return;
      }
      const reach = reachableFromOutside(object, number, typeof declared.name === 'string' ? declared.name : undefined, context);
      if (reach) {
        context.report({
          path: base,
          message: `${container.label} serves pprof/metrics on port ${number} and ${reach.why}.`,
          related: reach.related,
        });
        reported.add(number);
      }
    });
    // Listening beyond loopback without declaring the port still serves it.
    for (const kind of ['pprof', 'metrics'] as const) {
      const addr = findFlag(container, [`${kind}.addr`]);
      if (!addr || addr.value === undefined || LOOPBACK.test(addr.value.trim())) continue;
      const portFlag = findFlag(container, [`${kind}.port`]);
      const port = portFlag?.value && /^\d+$/.test(portFlag.value) ? Number(portFlag.value) : 6060;
      if (!METRICS_PORTS.has(port) || reported.has(port)) continue;
      const reach = reachableFromOutside(object, port, undefined, context);
      if (reach) {
        context.report({
          path: addr.path,
          within: addr.within,
          message: `${container.label} serves ${kind} on port ${port} beyond loopback (${addr.raw}) and ${reach.why}.`,
          related: reach.related,
        });
        reported.add(port);
      }
    }
  }
}

export const nodeMetricsExposed: Rule = {
  id: 'node-metrics-exposed',
  group: 'blockchain',
  title: 'Node pprof and metrics ports must not be reachable from outside the namespace',
  severity: 'warning',
  rationale:
    'The pprof and metrics port of geth-family nodes (6060) hands out heap dumps, goroutine stacks and CPU profiles, and lets a caller load the node with profiling; it is an information leak and a denial-of-service lever on the node that serves the exchange.',
  remediation:
    'Keep 6060/6061 off LoadBalancer/NodePort Services, Ingresses and hostPorts, and admit it in a NetworkPolicy only from the monitoring namespace; bind `--pprof.addr` to 127.0.0.1 when only a sidecar scrapes it.',
  references: { pci: ['2.2.4'] },
  check(object, context) {
    if (object.kind === 'Service') {
      if (!isExternalService(object)) return;
      const pods = servicePods(object, context.workspace);
      for (const port of servicePorts(object, pods)) {
        const metrics = metricsPortsOf(port, pods);
        if (metrics.length)
          context.report({
            path: port.path,
            message: `${getIn(object.value, ['spec', 'type'])} Service "${object.name}" exposes pprof/metrics port ${metrics.join(', ')} beyond the cluster.`,
            related: nodesRelated(pods),
          });
      }
    } else if (object.kind === 'Ingress') {
      for (const backend of ingressBackends(object)) {
        const service = serviceNamed(namespaceOf(object), backend.service, context.workspace);
        let metrics: number[] = [];
        let related: RelatedReport[] | undefined;
        if (service) {
          const pods = servicePods(service, context.workspace);
          const port = servicePorts(service, pods).find((p) =>
            typeof backend.port === 'number' ? p.port === backend.port : p.name === backend.port,
          );
          if (port) metrics = metricsPortsOf(port, pods);
          if (port) related = [servicePortRelated(service, port), ...nodesRelated(pods)];
        } else if (typeof backend.port === 'number' && METRICS_PORTS.has(backend.port)) metrics = [backend.port];
        if (metrics.length)
          context.report({
            path: backend.path,
            message: `Ingress "${object.name}" routes to pprof/metrics port ${metrics.join(', ')} of Service "${backend.service}".`,
            related,
          });
      }
    } else checkWorkload(object, context);
  },
};
