import { asMap, containersOf, podSpecOf } from '../../objects';
import type { Rule } from '../../types';
import { declaredPorts } from './workloads';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HANDLERS = ['httpGet', 'tcpSocket', 'grpc'] as const;
const DIGITS = /^\d+$/;

export const probePortMismatch: Rule = {
  id: 'probe-port-mismatch',
  group: 'resources',
  title: 'Probe ports must match a declared container port',
  severity: 'error',
  rationale:
    'A probe aimed at a port name the container does not declare can never succeed: the pod restarts in a loop or never becomes ready, and the rollout of a payment service stalls at deploy time. A port number works whether declared or not, so an undeclared number is only reported as info: it may be a typo, or a health port nobody declared.',
  remediation:
    "Point the probe at one of the container's declared ports (by name or number), or declare the port the process actually listens on under `ports`.",
  references: { pci: [], like: 'kube-linter liveness-port' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    const containers = containersOf(pod).filter((c) => c.list !== 'ephemeralContainers');
    // Containers share the pod's network namespace, so a number any of them declares is reachable.
    const podNumbers = new Set<number>();
    for (const container of containers)
      for (const port of declaredPorts(container)) if (port.number !== undefined) podNumbers.add(port.number);

    for (const container of containers) {
      const own = declaredPorts(container);
      for (const probeKey of PROBES) {
        const probe = asMap(container.container[probeKey]);
        if (!probe) continue;
        for (const handler of HANDLERS) {
          const port = asMap(probe[handler])?.port;
          if (port === undefined || port === null) continue;
          const path = [...container.path, probeKey, handler, 'port'];
          // The kubelet reads a digits-only string as a number when no port has that name.
          const asNumber =
            typeof port === 'number'
              ? port
              : typeof port === 'string' && DIGITS.test(port) && !own.some((p) => p.name === port)
                ? Number(port)
                : undefined;
          if (asNumber !== undefined) {
            // Kubernetes does not need a port declared to probe it (ingress-nginx probes its
            // undeclared health port 10254): an undeclared number is worth a look, not an error.
            if (podNumbers.size === 0 || podNumbers.has(asNumber)) continue;
            const declared = [...podNumbers].sort((a, b) => a - b).join(', ');
            context.report({
              path,
              severity: 'info',
              message: `${container.label} ${probeKey} ${handler} targets port ${asNumber}, which no container of the pod declares (declared: ${declared}): the port may simply be undeclared; check that the process listens on it.`,
            });
          } else if (typeof port === 'string' && !own.some((p) => p.name === port)) {
            // The kubelet resolves port names against this container's own ports only.
            const names = own.flatMap((p) => (p.name ? [`"${p.name}"`] : []));
            context.report({
              path,
              message: `${container.label} ${probeKey} ${handler} targets port "${port}", which it does not declare${names.length ? ` (it declares ${names.join(', ')})` : ''}: the probe always fails.`,
            });
          }
        }
      }
    }
  },
};
