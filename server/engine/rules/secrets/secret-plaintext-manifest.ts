import { asMap, asString } from '../../objects';
import type { Rule } from '../../types';
import { isPlaceholder } from './detect';

export const secretPlaintextManifest: Rule = {
  id: 'secret-plaintext-manifest',
  group: 'secrets',
  title: 'Secrets with values should not be committed',
  severity: 'warning',
  rationale:
    'The `data` of a Secret is base64, not encryption: a Secret manifest in the repository is the credential in clear text for everyone with read access to the repository and its history, outside the controls of the secret store and its rotation.',
  remediation:
    'Keep the value in a secret store and deliver it with External Secrets, the Secrets Store CSI driver or Sealed Secrets (encrypted to the cluster), or create the Secret out of band; commit only the reference.',
  references: { pci: ['3.5.1', '8.6.2'] },
  check(object, context) {
    if (object.kind !== 'Secret') return;
    const type = asString(object.value.type) ?? 'Opaque';
    for (const field of ['data', 'stringData'] as const) {
      const values = asMap(object.value[field]);
      if (!values) continue;
      // Empty values and placeholders filled in at deploy time (`${DB_PASSWORD}`) commit nothing.
      const real = Object.entries(values).filter(([, raw]) => holdsValue(raw, field === 'data'));
      if (real.length === 0) continue;
      const keys = real.map(([k]) => `"${k}"`);
      context.report({
        path: [...object.path, field],
        message: `Secret "${object.name}" (${type}) commits ${real.length === 1 ? 'a value' : `${real.length} values`} in \`${field}\` (${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}); base64 is not encryption.`,
      });
    }
  },
};

function holdsValue(raw: unknown, base64: boolean): boolean {
  if (raw === null || raw === undefined) return false;
  if (typeof raw !== 'string') return true;
  const text = base64 ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  return text.trim().length > 0 && !isPlaceholder(text.trim());
}
