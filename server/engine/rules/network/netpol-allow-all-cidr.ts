import { asArray, asMap, getIn } from '../../objects';
import type { Rule } from '../../types';
import { pciScopeRelated } from '../related';
import { isAnyAddress, isKubeNetworkPolicy, namespaceOf, objectPath } from './policies';

export const netpolAllowAllCidr: Rule = {
  id: 'netpol-allow-all-cidr',
  group: 'network',
  title: 'PCI NetworkPolicies must not allow any address',
  severity: 'error',
  rationale:
    'An ipBlock of 0.0.0.0/0 or ::/0 without exceptions opens the cardholder data environment to, or lets it reach, the entire internet, defeating the allow-list the policy appears to be.',
  remediation:
    'Replace the catch-all CIDR with the specific ranges the service needs (payment processor, HSM, partner bank), or at least list internal ranges under `except`.',
  references: { pci: ['1.3.1', '1.3.2', '1.4.2'], nsa: ['Network separation and hardening: network policies'] },
  check(object, context) {
    if (!isKubeNetworkPolicy(object)) return;
    const namespace = namespaceOf(object);
    if (!context.workspace.isPciNamespace(namespace)) return;
    const related = pciScopeRelated(context.workspace, namespace);
    for (const [direction, peersKey] of [
      ['ingress', 'from'],
      ['egress', 'to'],
    ] as const) {
      asArray(getIn(object.value, ['spec', direction])).forEach((rule, r) => {
        asArray(asMap(rule)?.[peersKey]).forEach((peer, p) => {
          const ipBlock = asMap(asMap(peer)?.ipBlock);
          if (!ipBlock || !isAnyAddress(ipBlock.cidr)) return;
          if (asArray(ipBlock.except).length > 0) return;
          context.report({
            path: objectPath(object, 'spec', direction, r, peersKey, p, 'ipBlock', 'cidr'),
            message: `NetworkPolicy "${object.name}" in PCI-scoped namespace "${namespace}" allows ${direction} ${direction === 'ingress' ? 'from' : 'to'} ${String(ipBlock.cidr).trim()} with no exceptions: every address.`,
            related,
          });
        });
      });
    }
  },
};
