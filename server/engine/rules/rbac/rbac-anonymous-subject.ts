import { ownValue } from '../../objects';
import type { Rule } from '../../types';
import { bindingLabel, describeSubject, isRbacKind, roleRefOf, subjectsOf } from './policy';

/** Identities nobody should be granted anything through a manifest, and why. */
const DANGEROUS_SUBJECTS: Record<string, string> = {
  'system:anonymous': ', that is, to every request that carries no credentials',
  'system:unauthenticated': ', that is, to every request that carries no credentials',
  'system:masters': ': a superuser group that bypasses RBAC, whose members no RBAC rule can restrict',
};

export const rbacAnonymousSubject: Rule = {
  id: 'rbac-anonymous-subject',
  group: 'rbac',
  title: 'Do not bind anonymous, unauthenticated or system:masters subjects',
  severity: 'error',
  rationale:
    'A binding to system:anonymous or system:unauthenticated gives its permissions to anyone who can reach the API server, with no identity to audit; system:masters is a superuser group that no RBAC rule can restrict.',
  remediation:
    'Bind named users, groups from your identity provider, or ServiceAccounts instead, and grant system:masters membership to no credential in daily use.',
  references: {
    pci: ['7.3.2', '8.2.1'],
    cis: ['5.1.7'],
    like: 'kubesec BindingsToSystemAnonymous',
  },
  check(object, context) {
    if (!isRbacKind(object, 'RoleBinding', 'ClusterRoleBinding')) return;
    const ref = roleRefOf(object);
    const role = ref ? `${ref.kind || 'role'} "${ref.name}"` : 'its role';
    for (const subject of subjectsOf(object)) {
      // Matched by name whatever the kind: a User named system:masters is just as suspicious.
      const why = ownValue(DANGEROUS_SUBJECTS, subject.name);
      if (!why) continue;
      context.report({
        path: [...subject.path, 'name'],
        message: `${bindingLabel(object)} grants ${role} to ${describeSubject(subject)}${why}.`,
      });
    }
  },
};
