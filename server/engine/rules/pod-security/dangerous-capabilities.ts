import { containersOf, podSpecOf, ownValue } from '../../objects';
import type { Rule } from '../../types';
import { BASELINE_CAPABILITIES, capabilityItems } from './capabilities';

/** Why the best-known ones matter, for the message; every capability outside the baseline set is flagged. */
const RISKS: Record<string, string> = {
  ALL: 'every capability, close to a privileged container',
  SYS_ADMIN: 'mounts, namespace changes and most known container escapes, effectively root on the node',
  NET_ADMIN: 'rewrites interfaces, routes and iptables, so it can bypass NetworkPolicy and intercept traffic',
  NET_RAW: 'crafts raw packets, enabling ARP and DNS spoofing of neighbouring pods',
  SYS_PTRACE: 'traces other processes and reads their memory, including keys held there',
  SYS_MODULE: 'loads kernel modules, which gives full control of the node',
  DAC_READ_SEARCH: 'reads any file regardless of permissions and enables open_by_handle_at escapes',
  SYS_RAWIO: 'raw access to I/O ports and block devices',
  SYS_BOOT: 'reboots the node',
  BPF: 'loads eBPF programs that can observe and alter kernel behaviour',
  PERFMON: 'kernel performance monitoring, a side channel into other workloads',
  SYS_TIME: 'sets the node clock, corrupting audit-log timestamps',
  MAC_ADMIN: 'reconfigures AppArmor or SELinux',
  MAC_OVERRIDE: 'bypasses AppArmor or SELinux policy',
  SYSLOG: 'reads the kernel log, leaking kernel addresses',
  LINUX_IMMUTABLE: 'removes the immutable flag from protected files',
  AUDIT_CONTROL: 'disables or rewrites kernel auditing',
  CHECKPOINT_RESTORE: 'checkpoints and restores processes, including their memory',
};

export const dangerousCapabilities: Rule = {
  id: 'dangerous-capabilities',
  group: 'pod-security',
  title: 'Containers must not add dangerous capabilities',
  severity: 'error',
  rationale:
    'Capabilities such as SYS_ADMIN, NET_ADMIN or SYS_PTRACE hand a container kernel powers that turn one compromised service into control of the node and of the card-data traffic crossing it.',
  remediation:
    'Remove the capability from `securityContext.capabilities.add`; the Pod Security baseline allows only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT. Move work that truly needs more to a reviewed node agent outside PCI scope.',
  references: { pci: ['2.2.6'], cis: ['5.2.8', '5.2.9'], pss: 'baseline', like: 'polaris dangerousCapabilities' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    for (const container of containersOf(pod)) {
      for (const item of capabilityItems(container, 'add')) {
        if (BASELINE_CAPABILITIES.has(item.normalized)) continue;
        const risk = ownValue(RISKS, item.normalized);
        context.report({
          path: item.path,
          message: risk
            ? `${container.label} adds ${item.raw}: ${risk}.`
            : `${container.label} adds ${item.raw}, which the Pod Security baseline does not allow.`,
          fix: { title: `Remove ${item.raw}`, ops: [{ op: 'delete', path: item.path }] },
        });
      }
    }
  },
};
