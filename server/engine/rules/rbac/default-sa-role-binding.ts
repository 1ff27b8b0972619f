import type { Rule } from '../../types';
import { bindingLabel, isRbacKind, roleRefOf, subjectsOf } from './policy';

export const defaultSaRoleBinding: Rule = {
  id: 'default-sa-role-binding',
  group: 'rbac',
  title: 'Do not grant roles to a namespace’s default ServiceAccount',
  severity: 'warning',
  rationale:
    'Every pod that names no ServiceAccount runs as `default`, so a role bound to it goes to every workload in the namespace, today’s and tomorrow’s, instead of the one component that needs it.',
  remediation:
    'Create a ServiceAccount for the workload that needs the permissions, bind the role to it, set `serviceAccountName` on that workload, and leave `default` without bindings.',
  references: { pci: ['7.2.2', '7.2.5'], cis: ['5.1.5'], like: 'checkov CKV_K8S_42 / CKV2_K8S_5' },
  check(object, context) {
    if (!isRbacKind(object, 'RoleBinding', 'ClusterRoleBinding')) return;
    const ref = roleRefOf(object);
    const role = ref ? `${ref.kind || 'role'} "${ref.name}"` : 'its role';
    for (const subject of subjectsOf(object)) {
      if (subject.kind !== 'ServiceAccount' || subject.name !== 'default') continue;
      // A RoleBinding's subject without a namespace is read in the binding's namespace.
      const namespace = subject.namespace ?? (object.kind === 'RoleBinding' ? (object.namespace ?? 'default') : undefined);
      const where = namespace ? `namespace ${namespace}` : 'its namespace';
      context.report({
        path: [...subject.path, 'name'],
        message: `${bindingLabel(object)} grants ${role} to the default ServiceAccount of ${where}: every pod there that names no ServiceAccount gets it.`,
      });
    }
  },
};
