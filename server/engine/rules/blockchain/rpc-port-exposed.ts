import { getIn } from '../../objects';
import type { K8sObject, RelatedReport, Rule, RuleContext } from '../../types';
import { AMBIGUOUS_RPC_PORTS, isNodeWorkload, RPC_PORTS } from './nodes';
import {
  ingressBackends,
  isExternalService,
  namespaceOf,
  nodesRelated,
  serviceNamed,
  servicePortRelated,
  servicePods,
  servicePorts,
  type PodOwner,
  type ServicePort,
} from './workspace';

/**
 * The RPC ports a Service port reaches. When the selected pods are in the workspace and none is a
 * node, nothing counts (another product listening on 8545). When they are not in the workspace,
 * the distinctive RPC ports count on their own; 1317 and 9090 (also Prometheus) only on a
 * recognised node.
 */
function rpcPortsOf(port: ServicePort, pods: readonly PodOwner[]): number[] {
  const numbers = new Set(port.targets);
  if (port.port !== undefined) numbers.add(port.port);
  const known = pods.length > 0;
  const anyNode = pods.some((p) => isNodeWorkload(p.object, { byPortOnly: true }));
  const recognisedNode = pods.some((p) => isNodeWorkload(p.object));
  if (known && !anyNode) return [];
  return [...numbers].filter((n) => RPC_PORTS.has(n) && (!AMBIGUOUS_RPC_PORTS.has(n) || recognisedNode));
}

function describe(numbers: number[]): string {
  return numbers.map((n) => `${n} (${RPC_PORTS.get(n)})`).join(', ');
}

function checkService(service: K8sObject, context: RuleContext): void {
  if (!isExternalService(service)) return;
  const type = getIn(service.value, ['spec', 'type']) as string;
  const pods = servicePods(service, context.workspace);
  for (const port of servicePorts(service, pods)) {
    const rpc = rpcPortsOf(port, pods);
    if (rpc.length === 0) continue;
    context.report({
      path: port.path,
      message: `${type} Service "${service.name}" exposes node RPC port ${describe(rpc)} beyond the cluster; anyone who reaches it can query or drive the node.`,
      related: nodesRelated(pods),
    });
  }
}

function checkIngress(ingress: K8sObject, context: RuleContext): void {
  const namespace = namespaceOf(ingress);
  for (const backend of ingressBackends(ingress)) {
    const service = serviceNamed(namespace, backend.service, context.workspace);
    let rpc: number[];
    let related: RelatedReport[] | undefined;
    if (service) {
      const pods = servicePods(service, context.workspace);
      const port = servicePorts(service, pods).find((p) =>
        typeof backend.port === 'number' ? p.port === backend.port : p.name === backend.port,
      );
      rpc = port ? rpcPortsOf(port, pods) : [];
      // The Service (often in another file) decides which pod port the route reaches.
      if (port) related = [servicePortRelated(service, port), ...nodesRelated(pods)];
    } else {
      // The Service is defined elsewhere: only a distinctive RPC port number says enough.
      rpc = typeof backend.port === 'number' && RPC_PORTS.has(backend.port) && !AMBIGUOUS_RPC_PORTS.has(backend.port) ? [backend.port] : [];
    }
    if (rpc.length === 0) continue;
    context.report({
      path: backend.path,
      message: `Ingress "${ingress.name}" routes to node RPC port ${describe(rpc)} of Service "${backend.service}", publishing the node's RPC outside the cluster.`,
      related,
    });
  }
}

export const rpcPortExposed: Rule = {
  id: 'rpc-port-exposed',
  group: 'blockchain',
  title: 'Node RPC ports must not be exposed outside the cluster',
  severity: 'error',
  rationale:
    'A node RPC endpoint reachable from the internet is scanned within minutes: attackers drain unlocked accounts, abuse admin and debug methods, or simply exhaust the node that settles customer withdrawals.',
  remediation:
    'Keep RPC Services ClusterIP and let only the wallet or back-office pods reach them through a NetworkPolicy; expose P2P ports on their own Service. Put an authenticating RPC proxy in front if external clients really need access.',
  references: { pci: ['1.3.1', '1.4.2'] },
  check(object, context) {
    if (object.kind === 'Service') checkService(object, context);
    else if (object.kind === 'Ingress') checkIngress(object, context);
  },
};
