import type { Rule } from '../../types';

export const basicAuthSecret: Rule = {
  id: 'basic-auth-secret',
  group: 'secrets',
  title: 'Prefer short-lived credentials over basic-auth Secrets',
  severity: 'warning',
  rationale:
    'A `kubernetes.io/basic-auth` Secret is a long-lived shared username and password: it is rarely rotated, cannot tell its users apart, and works from anywhere it leaks to, where PCI DSS expects strong, individually attributable authentication.',
  remediation:
    'Authenticate with short-lived or per-workload credentials instead (mTLS client certificates, OIDC / workload identity tokens, dynamic database credentials from Vault); if basic auth is unavoidable, source the Secret from a store that rotates it.',
  references: { pci: ['8.3.1'] },
  check(object, context) {
    if (object.kind !== 'Secret' || object.value.type !== 'kubernetes.io/basic-auth') return;
    context.report({
      path: [...object.path, 'type'],
      message: `Secret "${object.name}" is a kubernetes.io/basic-auth Secret: a long-lived shared username and password.`,
    });
  },
};
