import { ownValue } from '../../objects';
import type { Rule } from '../../types';
import { grants, itemPath, policyRulesOf, RBAC_GROUP, roleLabel, roleScope, type PolicyRuleAt } from './policy';

const ESCALATION_VERBS: Record<string, string> = {
  escalate: 'create or edit roles with permissions it does not hold',
  bind: 'bind roles with permissions it does not hold',
  impersonate: 'act as other users, groups or ServiceAccounts',
};

// Where a `*` verb includes the escalation verbs in effect.
const BIND_ROLES = { groups: [RBAC_GROUP], resources: ['roles', 'clusterroles'], verbs: ['escalate', 'bind'] };
const IMPERSONATE = {
  groups: ['', 'authentication.k8s.io'],
  resources: ['users', 'groups', 'serviceaccounts', 'uids'],
  verbs: ['impersonate'],
};

function resourcesOf(rule: PolicyRuleAt): string {
  const resources = rule.resources.map((r) => r.value).join(', ') || 'no resource';
  return rule.resourceNames.length > 0 ? `${resources} (named ${rule.resourceNames.join(', ')})` : resources;
}

export const rbacEscalationVerbs: Rule = {
  id: 'rbac-escalation-verbs',
  group: 'rbac',
  title: 'Roles must not escalate, bind or impersonate',
  severity: 'error',
  rationale:
    'escalate, bind and impersonate are the verbs RBAC provides to step outside RBAC: a subject holding them can grant itself or act as anyone, up to cluster-admin, so its effective rights are unbounded.',
  remediation:
    'Remove escalate, bind and impersonate from application and user roles; keep them for the few controllers that manage RBAC, narrowed by resourceNames and reviewed.',
  references: {
    pci: ['7.2.2'],
    cis: ['5.1.8'],
  },
  check(object, context) {
    for (const rule of policyRulesOf(object)) {
      for (const verb of rule.verbs) {
        const effect = ownValue(ESCALATION_VERBS, verb.value);
        if (effect) {
          context.report({
            path: itemPath(rule, 'verbs', verb),
            message: `${roleLabel(object)} grants ${verb.value} on ${resourcesOf(rule)}: it can ${effect}, ${roleScope(object)}.`,
          });
        } else if (verb.value === '*' && (grants(rule, BIND_ROLES) || grants(rule, IMPERSONATE))) {
          context.report({
            path: itemPath(rule, 'verbs', verb),
            message: `${roleLabel(object)} grants every verb ("*") on ${resourcesOf(rule)}, including escalate, bind or impersonate, ${roleScope(object)}.`,
          });
        }
      }
    }
  },
};
