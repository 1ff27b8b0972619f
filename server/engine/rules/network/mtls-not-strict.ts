import { asMap, asString, getIn } from '../../objects';
import type { Path, Rule } from '../../types';
import { pciScopeRelated } from '../related';
import { namespaceOf, objectPath } from './policies';

const WEAK_MODES = new Set(['PERMISSIVE', 'DISABLE']);

export const mtlsNotStrict: Rule = {
  id: 'mtls-not-strict',
  group: 'network',
  title: 'Istio mTLS must be STRICT in PCI namespaces',
  severity: 'error',
  rationale:
    'PERMISSIVE or DISABLE mTLS lets workloads in the cardholder data environment accept plaintext, unauthenticated connections, so card data can cross the network unencrypted and callers are not identified.',
  remediation: 'Set `spec.mtls.mode: STRICT` (and on every `portLevelMtls` entry) on PeerAuthentication policies in PCI-scoped namespaces.',
  references: { pci: ['2.2.7', '4.2.1', '8.3.2'], nsa: ['Network separation and hardening: service mesh'] },
  check(object, context) {
    if (object.kind !== 'PeerAuthentication' || !object.apiVersion.startsWith('security.istio.io/')) return;
    const namespace = namespaceOf(object);
    if (!context.workspace.isPciNamespace(namespace)) return;
    const related = pciScopeRelated(context.workspace, namespace);
    const flag = (path: Path, mode: string, where: string) =>
      context.report({
        path,
        message: `PeerAuthentication "${object.name}" in PCI-scoped namespace "${namespace}" sets mTLS mode ${mode}${where}: plaintext connections are accepted.`,
        fix: { title: 'Set mTLS mode STRICT', ops: [{ op: 'set', path, value: 'STRICT' }] },
        related,
      });
    // UNSET or no mode inherits from the namespace or mesh policy: not decidable from this object.
    const mode = asString(getIn(object.value, ['spec', 'mtls', 'mode']));
    if (mode && WEAK_MODES.has(mode)) flag(objectPath(object, 'spec', 'mtls', 'mode'), mode, '');
    for (const [port, setting] of Object.entries(asMap(getIn(object.value, ['spec', 'portLevelMtls'])) ?? {})) {
      const portMode = asString(asMap(setting)?.mode);
      if (portMode && WEAK_MODES.has(portMode))
        flag(objectPath(object, 'spec', 'portLevelMtls', port, 'mode'), portMode, ` on port ${port}`);
    }
  },
};
