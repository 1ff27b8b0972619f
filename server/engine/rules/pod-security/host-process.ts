import { containersOf, getIn, podSpecOf } from '../../objects';
import type { Path, Rule } from '../../types';

const HOST_PROCESS: Path = ['securityContext', 'windowsOptions', 'hostProcess'];

export const hostProcess: Rule = {
  id: 'host-process',
  group: 'pod-security',
  title: 'Windows containers must not run as HostProcess',
  severity: 'error',
  rationale:
    'A Windows HostProcess container runs directly on the node with host networking and access to its file system, services and credentials: it is not isolated from the node at all.',
  remediation:
    'Set `securityContext.windowsOptions.hostProcess: false` (or remove it) on the pod and its containers; keep HostProcess for reviewed node agents outside PCI scope.',
  references: { pci: ['2.2.6'], cis: ['5.2.11'], pss: 'baseline', like: 'polaris hostProcess' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    // Reported where it is written: a pod-level true covers every container, a container-level one itself.
    if (getIn(pod.spec, HOST_PROCESS) === true) {
      const path = [...pod.path, ...HOST_PROCESS];
      context.report({
        path,
        message: `${object.kind} "${object.name}" runs its containers as Windows HostProcess (pod securityContext hostProcess: true), directly on the node.`,
        fix: { title: 'Set hostProcess: false', ops: [{ op: 'set', path, value: false }] },
      });
    }
    for (const container of containersOf(pod)) {
      if (getIn(container.container, HOST_PROCESS) !== true) continue;
      const path = [...container.path, ...HOST_PROCESS];
      context.report({
        path,
        message: `${container.label} runs as a Windows HostProcess container (hostProcess: true), directly on the node.`,
        fix: { title: 'Set hostProcess: false', ops: [{ op: 'set', path, value: false }] },
      });
    }
  },
};
