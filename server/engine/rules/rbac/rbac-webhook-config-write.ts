import type { Rule } from '../../types';
import { describeVerbs, grants, itemPath, policyRulesOf, roleLabel, roleScope } from './policy';

const WEBHOOK_WRITE = {
  groups: ['admissionregistration.k8s.io'],
  resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
  verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'],
};

export const rbacWebhookConfigWrite: Rule = {
  id: 'rbac-webhook-config-write',
  group: 'rbac',
  title: 'Roles should not write admission webhook configurations',
  severity: 'error',
  rationale:
    'Admission webhooks enforce the policies that keep the cardholder data environment hardened (image signatures, Pod Security, secret injection); whoever can change or delete their configurations can switch that control off or send every object in the cluster, Secrets included, to a webhook of their own.',
  remediation:
    'Remove write verbs on mutating/validating webhook configurations from the role; keep them with the policy engine’s or cert-manager’s own ServiceAccount, narrowed with `resourceNames` to its own configurations.',
  references: { pci: ['7.2.2'], like: 'checkov CKV_K8S_155' },
  check(object, context) {
    for (const rule of policyRulesOf(object)) {
      const grant = grants(rule, WEBHOOK_WRITE);
      if (!grant) continue;
      const resource = grant.resources[0];
      const via = grant.granted.includes(resource.value) ? '' : ` (via "${resource.value}")`;
      const which = rule.resourceNames.length > 0 ? ` named ${rule.resourceNames.join(', ')}` : '';
      context.report({
        path: itemPath(rule, 'resources', resource),
        message: `${roleLabel(object)} grants ${describeVerbs(grant.verbs)} on ${grant.granted.join(' and ')}${which}${via}: it can switch off or redirect admission control, ${roleScope(object)}.`,
      });
    }
  },
};
