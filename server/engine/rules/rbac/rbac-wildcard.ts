import type { Rule } from '../../types';
import { itemPath, policyRulesOf, roleLabel } from './policy';

export const rbacWildcard: Rule = {
  id: 'rbac-wildcard',
  group: 'rbac',
  title: 'RBAC rules must not use wildcards',
  severity: 'error',
  rationale:
    'A `*` grants every verb, resource or API group, including the ones added by later Kubernetes releases and by CRDs installed tomorrow, so nobody can say what the role may do; PCI DSS asks that access be granted per need and reviewed.',
  remediation: 'List the API groups, resources and verbs the role needs explicitly.',
  references: {
    pci: ['7.3.3', '8.2.4'],
    cis: ['5.1.3'],
    like: 'kube-linter wildcard-in-rules',
  },
  check(object, context) {
    for (const rule of policyRulesOf(object)) {
      for (const item of rule.apiGroups) {
        if (item.value === '*')
          context.report({ path: itemPath(rule, 'apiGroups', item), message: `${roleLabel(object)} grants every API group ("*").` });
      }
      for (const item of rule.resources) {
        // `*/scale` matches that subresource of every resource; `pods/*` is a literal that matches nothing.
        if (item.value === '*' || item.value.startsWith('*/'))
          context.report({
            path: itemPath(rule, 'resources', item),
            message:
              item.value === '*'
                ? `${roleLabel(object)} grants every resource ("*").`
                : `${roleLabel(object)} grants the ${item.value.slice(2)} subresource of every resource ("${item.value}").`,
          });
      }
      for (const item of rule.verbs) {
        if (item.value === '*')
          context.report({ path: itemPath(rule, 'verbs', item), message: `${roleLabel(object)} grants every verb ("*").` });
      }
    }
  },
};
