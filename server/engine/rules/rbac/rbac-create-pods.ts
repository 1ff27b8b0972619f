import type { Rule } from '../../types';
import { describeVerbs, grants, itemPath, policyRulesOf, roleLabel, roleScope, type Grant, type PolicyRuleAt } from './policy';

/** Kinds whose creation starts pods, by API group (extensions: the removed beta API, still seen in old manifests). */
const POD_CREATORS = [
  { groups: [''], resources: ['pods', 'replicationcontrollers'], verbs: ['create'] },
  { groups: ['apps', 'extensions'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], verbs: ['create'] },
  { groups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['create'] },
];

function grantOf(rule: PolicyRuleAt): Grant | undefined {
  let result: Grant | undefined;
  for (const permission of POD_CREATORS) {
    const grant = grants(rule, permission);
    if (!grant) continue;
    if (!result) result = { resources: [...grant.resources], verbs: grant.verbs, granted: [...grant.granted] };
    else {
      result.granted.push(...grant.granted);
      for (const item of grant.resources) if (!result.resources.includes(item)) (result.resources as (typeof item)[]).push(item);
    }
  }
  return result;
}

export const rbacCreatePods: Rule = {
  id: 'rbac-create-pods',
  group: 'rbac',
  title: 'Roles should not create pods or workloads',
  severity: 'warning',
  rationale:
    'Whoever can create a pod, or a Deployment, Job or CronJob that creates one, can run any image with any ServiceAccount and mount any Secret of the namespace, so the right is worth as much as all of them together.',
  remediation:
    'Let the deployment pipeline (or a GitOps controller) create workloads; drop `create` on pods and workload kinds from the roles of people and applications.',
  references: {
    pci: ['7.2.2'],
    cis: ['5.1.4'],
    like: 'kube-linter access-to-create-pods',
  },
  check(object, context) {
    for (const rule of policyRulesOf(object)) {
      // A create request carries no object name, so a rule narrowed by resourceNames never allows it.
      if (rule.resourceNames.length > 0) continue;
      const grant = grantOf(rule);
      if (!grant) continue;
      const resource = grant.resources[0];
      const wildcard = grant.resources.some((r) => r.value === '*') ? ' (via "*")' : '';
      context.report({
        path: itemPath(rule, 'resources', resource),
        message: `${roleLabel(object)} grants ${describeVerbs(grant.verbs)} on ${grant.granted.join(', ')}${wildcard}, ${roleScope(object)}: it can run any image with any ServiceAccount and Secret there.`,
      });
    }
  },
};
