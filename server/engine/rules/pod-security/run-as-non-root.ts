import { containersOf, effectiveSecurityValue, podSpecOf } from '../../objects';
import type { Rule } from '../../types';

export const runAsNonRoot: Rule = {
  id: 'run-as-non-root',
  group: 'pod-security',
  title: 'Containers must run as non-root',
  severity: 'error',
  rationale:
    'A process running as root inside a container is one kernel or runtime bug away from root on the node, and from every cardholder-data workload scheduled there.',
  remediation: 'Set `securityContext.runAsNonRoot: true` on the pod or on each container, and build the image with a non-root USER.',
  references: {
    pci: ['7.2.5'],
    cis: ['5.2.7'],
    nsa: ['Pod security: non-root containers'],
    pss: 'restricted',
    like: 'kube-linter run-as-non-root',
  },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    for (const container of containersOf(pod)) {
      const setting = effectiveSecurityValue(pod, container, 'runAsNonRoot');
      if (setting.value === true) continue;
      const path = setting.path ?? [...container.path, 'securityContext', 'runAsNonRoot'];
      const uid = effectiveSecurityValue(pod, container, 'runAsUser').value;
      // With a non-zero runAsUser it does not run as root today; restricted still wants the guarantee.
      const runsAs = typeof uid === 'number' && uid > 0 ? uid : undefined;
      context.report({
        path,
        message:
          runsAs !== undefined
            ? `${container.label} runs as UID ${runsAs} but does not set runAsNonRoot: true${setting.value === false ? ' (it sets false)' : ''}, so an image or override with UID 0 would start.`
            : setting.value === false
              ? `${container.label} sets runAsNonRoot: false; it may run as root.`
              : `${container.label} may run as root: neither it nor the pod sets runAsNonRoot: true.`,
        fix: { title: 'Set runAsNonRoot: true', ops: [{ op: 'set', path, value: true }] },
      });
    }
  },
};
