import { asArray, asMap, asString, podSpecOf } from '../../objects';
import type { Rule } from '../../types';

// The Pod Security Standards' safe set: namespaced sysctls that cannot affect other pods on the node.
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

export const unsafeSysctls: Rule = {
  id: 'unsafe-sysctls',
  group: 'pod-security',
  title: 'Pods may only set safe sysctls',
  severity: 'error',
  rationale:
    'Sysctls outside the safe set are either node-wide or weaken kernel protections, so one pod can change networking or memory behaviour for every workload on the node, including other payment services.',
  remediation:
    'Remove sysctls outside the Pod Security safe set from `securityContext.sysctls`; if a node-level kernel setting is really needed, apply it to a dedicated node pool through node configuration.',
  references: { pci: ['2.2.6'], pss: 'baseline', like: 'kube-linter unsafe-sysctls' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    asArray(asMap(pod.spec.securityContext)?.sysctls).forEach((item, i) => {
      const name = asString(asMap(item)?.name);
      if (name === undefined || SAFE_SYSCTLS.has(name)) return;
      const path = [...pod.path, 'securityContext', 'sysctls', i, 'name'];
      // The kubelet accepts `/` as separator, but Pod Security admission compares names literally.
      const dotted = name.replace(/\//g, '.');
      context.report({
        path,
        message: SAFE_SYSCTLS.has(dotted)
          ? `The pod sets sysctl ${name} with slashes; Pod Security admission only accepts the dotted form ${dotted} as safe.`
          : `The pod sets sysctl ${name}, which is outside the Pod Security safe set.`,
      });
    });
  },
};
