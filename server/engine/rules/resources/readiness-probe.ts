import { containersOf, getIn, podSpecOf } from '../../objects';
import type { Rule } from '../../types';
import { declaredPorts, isLongRunning, probedContainers, tcpProbeFor } from './workloads';

const READINESS_TIMING = { initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 };

export const readinessProbe: Rule = {
  id: 'readiness-probe',
  group: 'resources',
  title: 'Serving containers should have a readiness probe',
  severity: 'warning',
  rationale:
    'Without a readiness probe a pod receives traffic the moment its process starts, before caches, connection pools or HSM sessions are up, so rollouts and restarts turn into failed transactions.',
  remediation: 'Add a `readinessProbe` to every container that declares a port, checking that the service can actually handle a request.',
  references: { pci: [], like: 'polaris readinessProbeMissing' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod || !isLongRunning(object, pod)) return;
    for (const container of probedContainers(containersOf(pod))) {
      // Only containers that declare a port are taken to serve traffic.
      if (declaredPorts(container).length === 0) continue;
      const probe = getIn(container.container, ['readinessProbe']);
      if (probe !== undefined && probe !== null) continue;
      const path = [...container.path, 'readinessProbe'];
      const suggestion = tcpProbeFor(container, READINESS_TIMING);
      context.report({
        path,
        message: `${container.label} declares a port but has no readiness probe: it receives traffic before it can serve it.`,
        fix: suggestion && {
          title: `Add a TCP readiness probe on port ${suggestion.port} (placeholder: prefer an HTTP readiness check)`,
          ops: [{ op: 'set', path, value: suggestion.probe }],
        },
      });
    }
  },
};
