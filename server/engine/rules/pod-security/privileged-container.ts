import { containersOf, getIn, podSpecOf } from '../../objects';
import type { Rule } from '../../types';

export const privilegedContainer: Rule = {
  id: 'privileged-container',
  group: 'pod-security',
  title: 'Containers must not run privileged',
  severity: 'error',
  rationale:
    'A privileged container holds every Linux capability and sees the host devices: one mount command takes it from the container to the node and to every cardholder-data workload scheduled there.',
  remediation:
    'Set `securityContext.privileged: false` (or remove it) and grant only the individual capability the workload really needs, after a security review.',
  references: { pci: ['2.2.6'], cis: ['5.2.2'], pss: 'baseline', like: 'kube-linter privileged-container' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    for (const container of containersOf(pod)) {
      if (getIn(container.container, ['securityContext', 'privileged']) !== true) continue;
      const path = [...container.path, 'securityContext', 'privileged'];
      context.report({
        path,
        message: `${container.label} runs privileged (privileged: true): it has every capability and direct access to the node's devices.`,
        fix: { title: 'Set privileged: false', ops: [{ op: 'set', path, value: false }] },
      });
    }
  },
};
