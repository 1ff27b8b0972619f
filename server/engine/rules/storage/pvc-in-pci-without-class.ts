import { annotationsOf, asArray, asMap, getIn, podSpecOf } from '../../objects';
import type { Path, Rule, RuleContext } from '../../types';
import { pciScopeRelated } from '../related';

/**
 * Whether a claim spec names its class: `storageClassName` (an explicit "" also counts: it opts out
 * of dynamic provisioning and binds a pre-created PV), the legacy beta annotation, or `volumeName`
 * (bound to a named PV, so no class provisions it).
 */
function namesClass(spec: unknown, metadata: unknown): boolean {
  const map = asMap(spec);
  if (map && typeof map.storageClassName === 'string') return true;
  if (map && typeof map.volumeName === 'string' && map.volumeName !== '') return true;
  return typeof annotationsOf({ metadata })['volume.beta.kubernetes.io/storage-class'] === 'string';
}

function report(context: RuleContext, path: Path, what: string, namespace: string): void {
  context.report({
    path,
    message: `${what} in PCI namespace ${namespace} sets no storageClassName: it gets the cluster's default StorageClass, whose encryption this manifest does not show.`,
    related: pciScopeRelated(context.workspace, namespace),
  });
}

export const pvcInPciWithoutClass: Rule = {
  id: 'pvc-in-pci-without-class',
  group: 'storage',
  title: 'PCI volume claims must name their StorageClass',
  severity: 'info',
  rationale:
    'A claim without a class takes whatever the cluster default is today, which may be an unencrypted class or change under it; volumes in the cardholder-data environment should name the encrypted class they rely on.',
  remediation:
    'Set `storageClassName` to an encrypted StorageClass on the PersistentVolumeClaim, volumeClaimTemplate or ephemeral volume template.',
  references: { pci: ['3.5.1'] },
  check(object, context) {
    const namespace = object.namespace ?? 'default';
    if (!context.workspace.isPciNamespace(namespace)) return;
    if (object.kind === 'PersistentVolumeClaim') {
      if (!namesClass(object.value.spec, object.value.metadata)) {
        const path = asMap(object.value.spec) ? [...object.path, 'spec', 'storageClassName'] : [...object.path, 'metadata', 'name'];
        report(context, path, `PersistentVolumeClaim "${object.name}"`, namespace);
      }
      return;
    }
    if (object.kind === 'StatefulSet') {
      asArray(getIn(object.value, ['spec', 'volumeClaimTemplates'])).forEach((item, i) => {
        const template = asMap(item);
        if (!template || namesClass(template.spec, template.metadata)) return;
        const name = getIn(template, ['metadata', 'name']);
        const base = [...object.path, 'spec', 'volumeClaimTemplates', i];
        report(
          context,
          asMap(template.spec) ? [...base, 'spec', 'storageClassName'] : base,
          `StatefulSet "${object.name}" volumeClaimTemplate "${typeof name === 'string' ? name : `#${i + 1}`}"`,
          namespace,
        );
      });
    }
    // Generic ephemeral volumes create a PVC in the pod's namespace too.
    const pod = podSpecOf(object);
    if (!pod) return;
    asArray(pod.spec.volumes).forEach((item, i) => {
      const volume = asMap(item);
      const template = asMap(getIn(volume, ['ephemeral', 'volumeClaimTemplate']));
      if (!volume || !template || namesClass(template.spec, template.metadata)) return;
      const base = [...pod.path, 'volumes', i, 'ephemeral', 'volumeClaimTemplate'];
      report(
        context,
        asMap(template.spec) ? [...base, 'spec', 'storageClassName'] : base,
        `${object.kind} "${object.name}" ephemeral volume "${typeof volume.name === 'string' ? volume.name : `#${i + 1}`}"`,
        namespace,
      );
    });
  },
};
