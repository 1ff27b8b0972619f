import { asMap, containersOf, podSpecOf } from '../../objects';
import type { Path, Rule } from '../../types';

// The types container-selinux gives ordinary containers; container_engine_t (nested runtimes) joined in 1.31.
const ALLOWED_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

export const selinuxOptions: Rule = {
  id: 'selinux-options',
  group: 'pod-security',
  title: 'SELinux options must not escape the container domain',
  severity: 'error',
  rationale:
    'A custom SELinux type such as spc_t or unconfined_t, or an SELinux user or role, takes the process out of the confined container domain, so SELinux no longer stops it from reading host files or other tenants’ data on the node.',
  remediation:
    'Leave `seLinuxOptions` unset, or limit it to `level` and a type of container_t, container_init_t, container_kvm_t or container_engine_t; never set `user` or `role`.',
  references: { pci: ['2.2.6'], nsa: ['Hardening container environments: SELinux'], pss: 'baseline' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    const owners: { owner: string; path: Path; options: Record<string, unknown> | undefined }[] = [
      {
        owner: 'The pod',
        path: [...pod.path, 'securityContext', 'seLinuxOptions'],
        options: asMap(asMap(pod.spec.securityContext)?.seLinuxOptions),
      },
    ];
    for (const container of containersOf(pod)) {
      owners.push({
        owner: container.label,
        path: [...container.path, 'securityContext', 'seLinuxOptions'],
        options: asMap(asMap(container.container.securityContext)?.seLinuxOptions),
      });
    }
    for (const { owner, path, options } of owners) {
      if (!options) continue;
      const type = options.type;
      if (type !== undefined && type !== null && !ALLOWED_TYPES.has(String(type))) {
        const typePath = [...path, 'type'];
        context.report({
          path: typePath,
          message: `${owner} sets seLinuxOptions.type: ${String(type)}, outside the confined container types.`,
          fix: { title: 'Set seLinuxOptions.type: container_t', ops: [{ op: 'set', path: typePath, value: 'container_t' }] },
        });
      }
      for (const key of ['user', 'role'] as const) {
        const value = options[key];
        if (value === undefined || value === null || value === '') continue;
        const keyPath = [...path, key];
        context.report({
          path: keyPath,
          message: `${owner} sets seLinuxOptions.${key}: ${String(value)}; custom SELinux ${key}s are not allowed.`,
          fix: { title: `Remove seLinuxOptions.${key}`, ops: [{ op: 'delete', path: keyPath }] },
        });
      }
    }
  },
};
