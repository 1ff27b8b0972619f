import { podSpecOf } from '../../objects';
import type { Rule } from '../../types';
import { volumesOf } from './_volumes';

// The restricted profile's allow-list; `image` (OCI artifact volumes) was added to it in Kubernetes 1.33.
const ALLOWED_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

export const restrictedVolumeTypes: Rule = {
  id: 'restricted-volume-types',
  group: 'pod-security',
  title: 'Volumes must use types the restricted profile allows',
  severity: 'error',
  rationale:
    'In-tree volume types such as hostPath, nfs, iscsi or gitRepo bypass PersistentVolume access control, carry credentials in the pod spec or run host-side code, so storage for cardholder data must go through claims, CSI drivers or projected sources.',
  remediation:
    'Use configMap, secret, projected, downwardAPI, emptyDir, ephemeral, csi, image or a persistentVolumeClaim backed by a PersistentVolume; an administrator defines NFS, iSCSI or cloud disks as PersistentVolumes.',
  references: { pci: ['2.2.6'], pss: 'restricted' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    for (const volume of volumesOf(pod)) {
      for (const key of Object.keys(volume.volume)) {
        // hostPath has its own rule (host-path-volume, baseline): one finding per problem.
        if (key === 'name' || key === 'hostPath' || ALLOWED_TYPES.has(key)) continue;
        context.report({
          path: [...volume.path, key],
          message: `Volume "${volume.name}" is of type ${key}, which the restricted Pod Security profile does not allow.`,
        });
      }
    }
  },
};
