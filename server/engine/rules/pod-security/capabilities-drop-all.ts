import { containersOf, getIn, podSpecOf } from '../../objects';
import type { Rule } from '../../types';
import { capabilityItems } from './capabilities';

export const capabilitiesDropAll: Rule = {
  id: 'capabilities-drop-all',
  group: 'pod-security',
  title: 'Containers must drop ALL capabilities',
  severity: 'error',
  rationale:
    'Container runtimes grant a default set of capabilities (raw sockets, chown, setuid…) that a payment service rarely needs; each one left is attack surface an intruder can use against the node and neighbouring pods.',
  remediation:
    'Add `ALL` to `securityContext.capabilities.drop` of every container and add back only NET_BIND_SERVICE if the process binds a port below 1024.',
  references: { pci: ['2.2.6'], cis: ['5.2.10'], pss: 'restricted' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    // Linux-only: the API rejects capabilities on pods with os.name windows, and Pod Security exempts them.
    if (getIn(pod.spec, ['os', 'name']) === 'windows') return;
    for (const container of containersOf(pod)) {
      const dropped = capabilityItems(container, 'drop');
      if (dropped.some((c) => c.raw === 'ALL')) continue;
      // The runtime honours "all" in any case, but Pod Security admission compares with "ALL" exactly
      // and rejects the pod in a restricted namespace: correct the spelling rather than add a duplicate.
      const misspelt = dropped.find((c) => c.normalized === 'ALL');
      if (misspelt) {
        context.report({
          path: misspelt.path,
          message: `${container.label} drops "${misspelt.raw}"; Pod Security admission only accepts "ALL" in upper case.`,
          fix: { title: 'Write ALL in upper case', ops: [{ op: 'set', path: misspelt.path, value: 'ALL' }] },
        });
        continue;
      }
      const path = [...container.path, 'securityContext', 'capabilities', 'drop'];
      const drop = getIn(container.container, ['securityContext', 'capabilities', 'drop']);
      const isList = drop == null || Array.isArray(drop);
      context.report({
        path,
        message:
          dropped.length > 0
            ? `${container.label} drops only ${dropped.map((c) => c.raw).join(', ')}; it keeps the rest of the runtime's default capabilities.`
            : `${container.label} does not drop ALL capabilities; it keeps the runtime's default set.`,
        ...(isList ? { fix: { title: 'Drop ALL capabilities', ops: [{ op: 'append' as const, path, value: 'ALL' }] } } : {}),
      });
    }
  },
};
