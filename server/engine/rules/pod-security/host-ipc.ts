import { podSpecOf } from '../../objects';
import type { Rule } from '../../types';

export const hostIpc: Rule = {
  id: 'host-ipc',
  group: 'pod-security',
  title: "Pods must not share the node's IPC namespace",
  severity: 'error',
  rationale:
    'The host IPC namespace exposes shared memory and message queues of every process on the node, so a compromised pod can read or tamper with data other workloads exchange there.',
  remediation:
    "Set `hostIPC: false` (or remove it); share memory between the pod's own containers with an emptyDir of medium Memory instead.",
  references: { pci: ['2.2.6'], cis: ['5.2.4'], pss: 'baseline', like: 'polaris hostIPCSet' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod || pod.spec.hostIPC !== true) return;
    const path = [...pod.path, 'hostIPC'];
    context.report({
      path,
      message: `${object.kind} "${object.name}" shares the node's IPC namespace (hostIPC: true).`,
      fix: { title: 'Set hostIPC: false', ops: [{ op: 'set', path, value: false }] },
    });
  },
};
