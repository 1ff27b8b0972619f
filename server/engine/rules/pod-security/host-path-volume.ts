import { podSpecOf } from '../../objects';
import type { Rule } from '../../types';
import { hostPathVolumesOf } from './_volumes';

export const hostPathVolume: Rule = {
  id: 'host-path-volume',
  group: 'pod-security',
  title: 'Pods must not mount hostPath volumes',
  severity: 'error',
  rationale:
    'A hostPath volume gives the pod the node’s own file system, outside any storage access control, so a compromised container can read or plant files that other cardholder-data workloads and the kubelet rely on.',
  remediation:
    'Replace hostPath with a PersistentVolumeClaim, emptyDir, ConfigMap, Secret or CSI volume; node agents that truly need host files belong in a separate, privileged namespace outside the CDE.',
  references: { pci: ['2.2.6'], cis: ['5.2.12'], nsa: ['Pod security: hostPath volumes'], pss: 'baseline', like: 'polaris hostPathSet' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    for (const volume of hostPathVolumesOf(pod)) {
      context.report({
        path: volume.hostPathPath,
        message:
          volume.rawPath === undefined
            ? `Volume "${volume.name}" is a hostPath volume: it mounts a directory of the node.`
            : `Volume "${volume.name}" mounts ${volume.rawPath} from the node (hostPath).`,
      });
    }
  },
};
