import type { Rule } from '../../types';
import { describeVerbs, grants, itemPath, policyRulesOf, roleLabel, roleScope } from './policy';

const READ_SECRETS = { groups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] };

export const rbacSecretsAccess: Rule = {
  id: 'rbac-secrets-access',
  group: 'rbac',
  title: 'Roles should not read Secrets namespace- or cluster-wide',
  severity: 'warning',
  rationale:
    'Reading Secrets reveals database passwords, HSM PINs, TLS keys and the tokens of other ServiceAccounts; a role that may read all of them turns any bound workload into a path to every credential of the namespace or cluster.',
  remediation:
    'Mount the Secrets a pod needs as volumes instead of reading them through the API, or narrow the rule with `resourceNames` to the Secrets the subject must read.',
  references: {
    pci: ['7.2.2'],
    cis: ['5.1.2'],
    like: 'kube-linter access-to-secrets',
  },
  check(object, context) {
    for (const rule of policyRulesOf(object)) {
      // resourceNames limits get (and list/watch with a metadata.name field selector) to the named Secrets.
      if (rule.resourceNames.length > 0) continue;
      const grant = grants(rule, READ_SECRETS);
      if (!grant) continue;
      const resource = grant.resources[0];
      const via = resource.value === 'secrets' ? '' : ` (via "${resource.value}")`;
      context.report({
        path: itemPath(rule, 'resources', resource),
        message: `${roleLabel(object)} grants ${describeVerbs(grant.verbs)} on all Secrets${via}, ${roleScope(object)}.`,
      });
    }
  },
};
