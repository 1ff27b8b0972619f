import { getIn, podSpecOf } from '../../objects';
import type { Rule } from '../../types';

export const hostUsers: Rule = {
  id: 'host-users',
  group: 'pod-security',
  title: 'Pods should run in their own user namespace',
  severity: 'info',
  rationale:
    'With `hostUsers: false` root inside the container maps to an unprivileged user on the node, so a container escape from a payment workload no longer lands as root on the host.',
  remediation:
    'Set `hostUsers: false` on the pod spec (Kubernetes 1.33+, Linux nodes with idmap-capable file systems); pods that need hostNetwork, hostPID or hostIPC cannot use user namespaces.',
  references: { pci: ['2.2.6'] },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    const spec = pod.spec;
    if (spec.hostUsers === false) return;
    // The API server rejects hostUsers: false next to host namespaces, and Windows has no user namespaces:
    // advice these pods cannot follow is noise (host-network, host-pid and host-ipc already flag them).
    if (spec.hostNetwork === true || spec.hostPID === true || spec.hostIPC === true) return;
    if (getIn(spec, ['os', 'name']) === 'windows') return;
    const path = [...pod.path, 'hostUsers'];
    context.report({
      path,
      message:
        spec.hostUsers === true
          ? 'The pod sets hostUsers: true; root in its containers is root on the node.'
          : 'The pod shares the node’s user namespace (hostUsers is not false); root in its containers is root on the node.',
      fix: { title: 'Set hostUsers: false', ops: [{ op: 'set', path, value: false }] },
    });
  },
};
