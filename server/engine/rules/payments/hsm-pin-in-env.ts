import { asArray, asMap, asString, containersOf, getIn, podSpecOf } from '../../objects';
import type { Rule } from '../../types';
import { hsmCredentialsInFile, isHsmCredential, masked } from './hsm-credentials';

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

export const hsmPinInEnv: Rule = {
  id: 'hsm-pin-in-env',
  group: 'payments',
  title: 'HSM PINs and KMS credentials must not be set in env values or ConfigMaps',
  severity: 'error',
  rationale:
    'The HSM PIN or KMS credential is what lets a process use the keys that protect card data and PIN blocks; in an env value or a ConfigMap it is readable by anyone who can read the manifest, the Git history or `kubectl describe`, which defeats the HSM.',
  remediation:
    'Mount the PIN or credential from a Secret backed by an external store as a read-only file and pass its path (e.g. `HSM_PIN_FILE=/var/run/secrets/hsm/pin`); prefer workload identity over static KMS keys.',
  references: { pci: ['3.6.1', '8.6.2'] },
  check(object, context) {
    if (object.kind === 'ConfigMap') {
      for (const [key, raw] of Object.entries(asMap(getIn(object.value, ['data'])) ?? {})) {
        const value = text(raw);
        if (value === undefined) continue;
        if (!value.includes('\n') && isHsmCredential(key, value)) {
          context.report({
            path: [...object.path, 'data', key],
            message: `ConfigMap "${object.name}" key "${key}" holds an HSM/KMS credential ${masked(value)}.`,
          });
          continue;
        }
        const keys = hsmCredentialsInFile(value);
        if (keys.length)
          context.report({
            path: [...object.path, 'data', key],
            message: `ConfigMap "${object.name}" key "${key}" sets the HSM/KMS credential${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')} in plain text.`,
          });
      }
      return;
    }
    const pod = podSpecOf(object);
    if (!pod) return;
    for (const container of containersOf(pod)) {
      asArray(container.container.env).forEach((item, i) => {
        const env = asMap(item);
        const name = asString(env?.name);
        const value = text(env?.value);
        if (!name || value === undefined || !isHsmCredential(name, value)) return;
        context.report({
          path: [...container.path, 'env', i, 'value'],
          message: `${container.label} sets the HSM/KMS credential "${name}" as a literal env value ${masked(value)}.`,
        });
      });
    }
  },
};
