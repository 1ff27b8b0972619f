import { containersOf, getIn, podSpecOf } from '../../objects';
import type { Rule } from '../../types';

export const procMount: Rule = {
  id: 'proc-mount',
  group: 'pod-security',
  title: 'Containers must keep the default masked /proc',
  severity: 'error',
  rationale:
    'The runtime masks sensitive /proc and /sys paths (kcore, sysrq-trigger, timer lists); an Unmasked procMount exposes them, leaking host kernel information and offering writable knobs that help an attacker break out of a payment workload.',
  remediation: 'Remove `securityContext.procMount` or set it to `Default`.',
  references: { pci: ['2.2.6'], pss: 'baseline', like: 'kube-linter unsafe-proc-mount' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    for (const container of containersOf(pod)) {
      const value = getIn(container.container, ['securityContext', 'procMount']);
      if (value === undefined || value === null || value === 'Default') continue;
      const path = [...container.path, 'securityContext', 'procMount'];
      context.report({
        path,
        message: `${container.label} sets procMount: ${String(value)}; /proc is not masked.`,
        fix: { title: 'Set procMount: Default', ops: [{ op: 'set', path, value: 'Default' }] },
      });
    }
  },
};
