import { podSpecOf } from '../../objects';
import type { Rule } from '../../types';

export const hostPid: Rule = {
  id: 'host-pid',
  group: 'pod-security',
  title: "Pods must not share the node's process namespace",
  severity: 'error',
  rationale:
    'With the host PID namespace a container sees every process on the node, their command lines and environments, and can signal or trace them: keys and credentials of co-located payment services are exposed.',
  remediation:
    "Set `hostPID: false` (or remove it); use `shareProcessNamespace` between the pod's own containers if a sidecar must see the main process.",
  references: { pci: ['2.2.6'], cis: ['5.2.3'], pss: 'baseline', like: 'polaris hostPIDSet' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod || pod.spec.hostPID !== true) return;
    const path = [...pod.path, 'hostPID'];
    context.report({
      path,
      message: `${object.kind} "${object.name}" shares the node's process namespace (hostPID: true).`,
      fix: { title: 'Set hostPID: false', ops: [{ op: 'set', path, value: false }] },
    });
  },
};
