import { podSpecOf } from '../../objects';
import type { Rule } from '../../types';
import { hostPathVolumesOf, isAtOrUnder } from './_volumes';

// Host directories whose contents give away the node: config and credentials, kernel interfaces, devices,
// runtime sockets, kubelet pod secrets, container and etcd state.
// /var/run comes last among the /var entries: it is a symlink to /run, so a parent such as /var is better
// explained by the kubelet directory it really contains.
const SENSITIVE_DIRS = [
  '/etc',
  '/proc',
  '/sys',
  '/dev',
  '/boot',
  '/root',
  '/run',
  '/var/lib/kubelet',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/var/lib/etcd',
  '/var/run',
];

export const sensitiveHostMount: Rule = {
  id: 'sensitive-host-mount',
  group: 'pod-security',
  title: 'Pods must not mount sensitive host directories',
  severity: 'error',
  rationale:
    'Host directories such as /etc, /proc, /var/lib/kubelet or /var/run hold node credentials, other pods’ Secrets and the container runtime; mounting one hands a compromised container the keys to the node and to every payment workload scheduled on it.',
  remediation:
    'Remove the hostPath volume; read what the workload needs through the Kubernetes API, a ConfigMap/Secret or a CSI driver, and keep genuine node agents in a dedicated privileged namespace outside the CDE.',
  references: { pci: ['2.2.6'], cis: ['5.2.12'], pss: 'baseline', like: 'kube-linter sensitive-host-mounts' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    for (const volume of hostPathVolumesOf(pod)) {
      const path = volume.normalised;
      if (path === undefined) continue;
      let reason: string | undefined;
      if (path === '/') reason = 'the node’s whole root file system';
      else {
        const under = SENSITIVE_DIRS.find((dir) => isAtOrUnder(path, dir));
        // A parent such as /var or /var/lib exposes the sensitive directories beneath it.
        const above = under ? undefined : SENSITIVE_DIRS.find((dir) => isAtOrUnder(dir, path));
        if (under) reason = under === path ? 'a sensitive host directory' : `inside the sensitive host directory ${under}`;
        else if (above) reason = `which contains the sensitive host directory ${above}`;
      }
      if (!reason) continue;
      context.report({
        path: [...volume.hostPathPath, 'path'],
        message: `Volume "${volume.name}" mounts ${volume.rawPath}, ${reason}.`,
      });
    }
  },
};
