import { asMap } from '../../objects';
import type { K8sObject, Rule, RuleContext } from '../../types';
import { DEFAULT_PASSWORD_KINDS, detectValue, isTextBlock, scanText, type SecretFinding } from './detect';
import { configMapFindings, describeFindings, envFindings } from './shared';

const isDefault = (finding: SecretFinding) => DEFAULT_PASSWORD_KINDS.has(finding.kind);

/** Secret values under credential keys (`password`, `POSTGRES_PASSWORD`), and the pairs of files a Secret carries. */
function checkSecret(object: K8sObject, context: RuleContext): void {
  for (const field of ['stringData', 'data'] as const) {
    for (const [key, raw] of Object.entries(asMap(object.value[field]) ?? {})) {
      if (typeof raw !== 'string') continue;
      const value = field === 'data' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      const findings = (isTextBlock(value) ? scanText(value) : [detectValue(key, value)]).filter(
        (f): f is SecretFinding => !!f && isDefault(f),
      );
      if (findings.length === 0) continue;
      context.report({
        path: [...object.path, field, key],
        message: `Secret "${object.name}" key "${key}" holds ${describeFindings(findings, key)}: the first value anyone tries.`,
      });
    }
  }
}

export const weakDefaultPassword: Rule = {
  id: 'weak-default-password',
  group: 'secrets',
  title: 'Credentials must not be well-known default passwords',
  severity: 'error',
  rationale:
    'Default and vendor passwords (`admin`, `changeme`, Fabric CA’s `adminpw`, RabbitMQ’s `guest`) are the first values an attacker tries; PCI DSS requires them changed before a system goes live, and a manifest that sets one makes every environment deployed from it open to them.',
  remediation:
    'Generate a unique, strong credential per environment, keep it in a secret store or a Secret created out of band, mount it as a file or read it with `secretKeyRef`, and rotate the default wherever it was deployed.',
  references: { pci: ['2.2.2', '8.3.6'] },
  check(object, context) {
    if (object.kind === 'Secret') {
      checkSecret(object, context);
      return;
    }
    for (const { container, name, path, finding } of envFindings(object)) {
      if (!isDefault(finding)) continue;
      context.report({
        path,
        message: `${container.label}: env var "${name}" holds ${finding.what} (${finding.masked}): the first value anyone tries.`,
      });
    }
    for (const { key, path, findings } of configMapFindings(object)) {
      const defaults = findings.filter(isDefault);
      if (defaults.length === 0) continue;
      context.report({ path, message: `ConfigMap key "${key}" holds ${describeFindings(defaults, key)}: the first value anyone tries.` });
    }
  },
};
