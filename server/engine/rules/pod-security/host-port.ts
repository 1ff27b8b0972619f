import { asArray, asMap, containersOf, podSpecOf } from '../../objects';
import type { Fix, Rule } from '../../types';

export const hostPort: Rule = {
  id: 'host-port',
  group: 'pod-security',
  title: 'Containers must not bind host ports',
  severity: 'error',
  rationale:
    'A hostPort opens the port on the node’s own address, outside Services and usually outside NetworkPolicy, creating an unreviewed entry point into the cardholder data environment and pinning the pod to nodes where the port is free.',
  remediation:
    'Remove `hostPort` and expose the container through a Service (and an Ingress or LoadBalancer with an allow-list when it must be reachable from outside).',
  references: { pci: ['1.4.1', '2.2.4'], cis: ['5.2.13'], pss: 'baseline', like: 'polaris hostPortSet' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    // With hostNetwork the API server defaults hostPort to containerPort, so deleting it changes nothing.
    const hostNetwork = pod.spec.hostNetwork === true;
    for (const container of containersOf(pod)) {
      asArray(container.container.ports).forEach((item, i) => {
        const value = asMap(item)?.hostPort;
        if (value === undefined || value === null || value === 0 || value === '0') return;
        const path = [...container.path, 'ports', i, 'hostPort'];
        const fix: Fix | undefined = hostNetwork ? undefined : { title: 'Remove hostPort', ops: [{ op: 'delete', path }] };
        context.report({
          path,
          message: hostNetwork
            ? `${container.label} binds host port ${String(value)} (the pod also uses hostNetwork).`
            : `${container.label} binds host port ${String(value)} on the node.`,
          fix,
        });
      });
    }
  },
};
