import { containersOf, getIn, podSpecOf } from '../../objects';
import type { Rule } from '../../types';
import { isLongRunning, probedContainers, tcpProbeFor } from './workloads';

// Lenient on purpose: a liveness probe that fails too eagerly restarts healthy pods under load.
const LIVENESS_TIMING = { initialDelaySeconds: 15, periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 3 };

export const livenessProbe: Rule = {
  id: 'liveness-probe',
  group: 'resources',
  title: 'Long-running containers should have a liveness probe',
  severity: 'warning',
  rationale:
    'A deadlocked payment or ledger process without a liveness probe keeps its pod Running while it serves nothing, until someone notices the backlog; the kubelet restarts it only if a probe says it is dead.',
  remediation:
    'Add a `livenessProbe` (preferably an HTTP health endpoint that checks the process itself, not its dependencies) to every container of Deployments, StatefulSets, DaemonSets and long-running Pods.',
  references: { pci: [], like: 'polaris livenessProbeMissing' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod || !isLongRunning(object, pod)) return;
    for (const container of probedContainers(containersOf(pod))) {
      const probe = getIn(container.container, ['livenessProbe']);
      if (probe !== undefined && probe !== null) continue;
      const path = [...container.path, 'livenessProbe'];
      const suggestion = tcpProbeFor(container, LIVENESS_TIMING);
      context.report({
        path,
        message: `${container.label} has no liveness probe: if it deadlocks, Kubernetes keeps it running without restarting it.`,
        fix: suggestion && {
          title: `Add a TCP liveness probe on port ${suggestion.port} (placeholder: prefer an HTTP health check)`,
          ops: [{ op: 'set', path, value: suggestion.probe }],
        },
      });
    }
  },
};
