import { asMap, containersOf, getIn, podSpecOf } from '../../objects';
import type { Path, Rule } from '../../types';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const APPARMOR_TYPE: Path = ['securityContext', 'appArmorProfile', 'type'];

export const apparmorUnconfined: Rule = {
  id: 'apparmor-unconfined',
  group: 'pod-security',
  title: 'AppArmor must not be disabled',
  severity: 'error',
  rationale:
    'On AppArmor hosts the runtime profile blocks writes to /proc and /sys and mount calls; turning it off removes a layer that stands between a compromised container and the node running other cardholder-data workloads.',
  remediation:
    'Remove `appArmorProfile.type: Unconfined` (or set `RuntimeDefault`, or `Localhost` with a reviewed profile), and replace legacy `container.apparmor.security.beta.kubernetes.io/<container>: unconfined` annotations with the securityContext field.',
  references: { pci: ['2.2.6'], nsa: ['Hardening container environments: AppArmor'], pss: 'baseline' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    const fieldOwners: { owner: string; path: Path; value: unknown }[] = [
      { owner: 'The pod', path: [...pod.path, ...APPARMOR_TYPE], value: getIn(pod.spec, APPARMOR_TYPE) },
    ];
    for (const container of containersOf(pod)) {
      fieldOwners.push({
        owner: container.label,
        path: [...container.path, ...APPARMOR_TYPE],
        value: getIn(container.container, APPARMOR_TYPE),
      });
    }
    for (const { owner, path, value } of fieldOwners) {
      if (value !== 'Unconfined') continue;
      context.report({
        path,
        message: `${owner} sets appArmorProfile.type: Unconfined; AppArmor confinement is off.`,
        fix: { title: 'Set appArmorProfile.type: RuntimeDefault', ops: [{ op: 'set', path, value: 'RuntimeDefault' }] },
      });
    }

    for (const [key, value] of Object.entries(asMap(pod.metadata.annotations) ?? {})) {
      if (!key.startsWith(ANNOTATION_PREFIX) || value !== 'unconfined') continue;
      const path = [...pod.metadataPath, 'annotations', key];
      context.report({
        path,
        message: `Container "${key.slice(ANNOTATION_PREFIX.length)}" is marked AppArmor unconfined by the legacy annotation ${key}.`,
        fix: { title: 'Set the annotation to runtime/default', ops: [{ op: 'set', path, value: 'runtime/default' }] },
      });
    }
  },
};
