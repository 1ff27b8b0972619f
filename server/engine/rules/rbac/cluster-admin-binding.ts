import type { Rule } from '../../types';
import { bindingLabel, describeSubjects, isRbacKind, roleRefOf, subjectsOf } from './policy';

export const clusterAdminBinding: Rule = {
  id: 'cluster-admin-binding',
  group: 'rbac',
  title: 'Do not bind the cluster-admin role',
  severity: 'error',
  rationale:
    'cluster-admin can read every Secret, exec into every pod and rewrite every policy, so one leaked token of a bound subject hands over the whole cardholder data environment; PCI DSS requires access limited to what each job needs.',
  remediation:
    'Bind a Role (or a narrow ClusterRole) that lists only the resources and verbs the subject needs; keep cluster-admin for break-glass accounts outside the manifests.',
  references: {
    pci: ['7.2.1', '7.2.2', '7.2.5'],
    cis: ['5.1.1'],
    nsa: ['Authentication and authorization: role-based access control'],
    like: 'kube-linter cluster-admin-role-binding',
  },
  check(object, context) {
    if (!isRbacKind(object, 'RoleBinding', 'ClusterRoleBinding')) return;
    const ref = roleRefOf(object);
    // A Role named cluster-admin is a namespace's own role, not the built-in superuser ClusterRole.
    if (!ref || ref.kind !== 'ClusterRole' || ref.name !== 'cluster-admin') return;
    const subjects = describeSubjects(subjectsOf(object));
    context.report({
      path: [...object.path, 'roleRef', 'name'],
      message:
        object.kind === 'ClusterRoleBinding'
          ? `${bindingLabel(object)} grants cluster-admin (full control of every namespace) to ${subjects}.`
          : `${bindingLabel(object)} grants cluster-admin (full control of namespace ${object.namespace ?? 'default'}, including its Secrets and RBAC) to ${subjects}.`,
    });
  },
};
