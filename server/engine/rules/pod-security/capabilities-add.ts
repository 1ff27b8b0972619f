import { containersOf, getIn, podSpecOf } from '../../objects';
import type { Rule } from '../../types';
import { capabilityItems } from './capabilities';

const ALLOWED = 'NET_BIND_SERVICE';

export const capabilitiesAdd: Rule = {
  id: 'capabilities-add',
  group: 'pod-security',
  title: 'Containers may add back only NET_BIND_SERVICE',
  severity: 'error',
  rationale:
    'The restricted profile lets a container add back only NET_BIND_SERVICE: every other capability widens what a compromised payment service can do to the kernel, the network or its neighbours.',
  remediation:
    'Remove every capability but NET_BIND_SERVICE from `securityContext.capabilities.add`; change the application (or its port) rather than grant a capability.',
  references: { pci: ['2.2.6'], cis: ['5.2.9'], pss: 'restricted', like: 'polaris insecureCapabilities' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    // Linux-only: the API rejects capabilities on pods with os.name windows, and Pod Security exempts them.
    if (getIn(pod.spec, ['os', 'name']) === 'windows') return;
    for (const container of containersOf(pod)) {
      for (const item of capabilityItems(container, 'add')) {
        if (item.raw === ALLOWED) continue;
        // Pod Security admission compares the exact string, so "CAP_NET_BIND_SERVICE" is refused in a
        // restricted namespace although it names the allowed capability: respell it, don't drop it.
        if (item.normalized === ALLOWED) {
          context.report({
            path: item.path,
            message: `${container.label} adds "${item.raw}"; Pod Security admission only accepts the spelling NET_BIND_SERVICE.`,
            fix: { title: 'Write NET_BIND_SERVICE', ops: [{ op: 'set', path: item.path, value: ALLOWED }] },
          });
          continue;
        }
        context.report({
          path: item.path,
          message: `${container.label} adds capability ${item.raw}; the restricted profile allows only NET_BIND_SERVICE.`,
          fix: { title: `Remove ${item.raw}`, ops: [{ op: 'delete', path: item.path }] },
        });
      }
    }
  },
};
