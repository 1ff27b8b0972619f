import type { Rule } from '../../types';
import { isGenericCredential } from './detect';
import { configMapFindings, describeFindings } from './shared';

export const secretInConfigmap: Rule = {
  id: 'secret-in-configmap',
  group: 'secrets',
  title: 'ConfigMaps must not hold credentials',
  severity: 'error',
  rationale:
    'ConfigMaps are readable by every role that can read configuration, are not encrypted at rest by the API server, and are printed freely by tooling; a credential or private key in one is effectively published to the whole platform team.',
  remediation:
    'Move the credential or key into a Secret (synced from a secret store), mount it as a file, keep only non-sensitive settings in the ConfigMap, and rotate the exposed credential.',
  references: { pci: ['3.5.1', '8.6.2'], like: 'polaris sensitiveConfigmapContent' },
  check(object, context) {
    for (const { key, path, findings } of configMapFindings(object)) {
      const generic = findings.filter(isGenericCredential);
      if (generic.length === 0) continue;
      context.report({ path, message: `ConfigMap key "${key}" holds ${describeFindings(generic, key)}.` });
    }
  },
};
