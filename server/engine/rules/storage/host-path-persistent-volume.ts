import { asMap, asString } from '../../objects';
import type { Rule } from '../../types';

export const hostPathPersistentVolume: Rule = {
  id: 'host-path-persistent-volume',
  group: 'storage',
  title: 'PersistentVolumes must not be hostPath volumes',
  severity: 'error',
  rationale:
    'A hostPath PersistentVolume hands a directory of whichever node the pod lands on to any claim that binds it: the pod spec shows only a claim, so the Pod Security checks on hostPath never see it, and the data sits unencrypted on the node, outside any storage access control.',
  remediation:
    'Provision volumes from an encrypted StorageClass (CSI driver), or use a `local` PersistentVolume with node affinity for node-local disks; keep hostPath PersistentVolumes to single-node development clusters.',
  references: { pci: ['2.2.6'], nsa: ['Pod security: hostPath volumes'] },
  check(object, context) {
    if (object.kind !== 'PersistentVolume') return;
    const spec = asMap(object.value.spec);
    if (!spec || !('hostPath' in spec)) return;
    const hostPath = asString(asMap(spec.hostPath)?.path);
    context.report({
      path: [...object.path, 'spec', 'hostPath'],
      message:
        hostPath === undefined
          ? `PersistentVolume "${object.name}" is a hostPath volume: any claim that binds it gets a directory of the node.`
          : `PersistentVolume "${object.name}" is ${hostPath} on whichever node mounts it (hostPath): any claim that binds it gets that node directory.`,
    });
  },
};
