import type { Rule } from '../../types';
import { checkDefaultDeny } from './default-deny';

export const pciDefaultDenyEgress: Rule = {
  id: 'pci-default-deny-egress',
  group: 'network',
  title: 'PCI namespaces need a default-deny egress NetworkPolicy',
  severity: 'error',
  rationale:
    'PCI DSS requires outbound traffic from the cardholder data environment to be restricted to what is necessary; without a default-deny egress policy a compromised CDE pod can exfiltrate card data to any address.',
  remediation:
    'Add a NetworkPolicy in the namespace with `podSelector: {}`, `policyTypes: [Egress]` and no `egress` rules, then allow DNS and each required destination explicitly.',
  references: { pci: ['1.3.2', '1.4.4'], cis: ['5.3.2'], nsa: ['Network separation and hardening: network policies'] },
  check(object, context) {
    checkDefaultDeny(object, context, 'Egress');
  },
};
