import type { Rule } from '../../types';
import { checkDefaultDeny } from './default-deny';

export const pciDefaultDenyIngress: Rule = {
  id: 'pci-default-deny-ingress',
  group: 'network',
  title: 'PCI namespaces need a default-deny ingress NetworkPolicy',
  severity: 'error',
  rationale:
    'PCI DSS requires inbound traffic to the cardholder data environment to be denied unless explicitly allowed; without a namespace-wide default-deny, any new pod in the CDE is reachable from the whole cluster.',
  remediation:
    'Add a NetworkPolicy in the namespace with `podSelector: {}`, `policyTypes: [Ingress]` and no `ingress` rules, then allow-list each service’s callers in its own policy.',
  references: { pci: ['1.3.1', '1.4.4'], cis: ['5.3.2'], nsa: ['Network separation and hardening: network policies'] },
  check(object, context) {
    checkDefaultDeny(object, context, 'Ingress');
  },
};
