import type { Rule } from '../../types';
import { describeVerbs, grants, itemPath, policyRulesOf, roleLabel, roleScope } from './policy';

// Any verb: even get on nodes/proxy reaches the kubelet API, which runs commands in every pod of the node.
const NODE_PROXY = { groups: [''], resources: ['nodes/proxy'], verbs: ['*'] };

export const rbacNodeProxy: Rule = {
  id: 'rbac-node-proxy',
  group: 'rbac',
  title: 'Roles must not proxy to nodes',
  severity: 'error',
  rationale:
    'nodes/proxy reaches the kubelet API of a node directly: it can exec into and read the logs of every pod on that node, bypassing admission control and most API-server audit logging.',
  remediation:
    'Remove nodes/proxy from the role; monitoring agents can read kubelet metrics through nodes/metrics and nodes/stats instead.',
  references: {
    pci: ['7.2.2'],
    cis: ['5.1.10'],
  },
  check(object, context) {
    for (const rule of policyRulesOf(object)) {
      const grant = grants(rule, NODE_PROXY);
      if (!grant) continue;
      const resource = grant.resources[0];
      const via = resource.value === 'nodes/proxy' ? '' : ` (via "${resource.value}")`;
      context.report({
        path: itemPath(rule, 'resources', resource),
        message: `${roleLabel(object)} grants ${describeVerbs(grant.verbs)} on nodes/proxy${via}: direct kubelet access to every pod of a node, ${roleScope(object)}.`,
      });
    }
  },
};
