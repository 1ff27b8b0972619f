import type { Rule } from '../../types';
import { describeVerbs, grants, itemPath, policyRulesOf, roleLabel, roleScope } from './policy';

// Before Kubernetes 1.31 (AuthorizePodWebsocketUpgradeCreatePermission), `kubectl exec` over
// WebSockets was authorized as `get` on pods/exec, so get is as good as create there.
const EXEC = { groups: [''], resources: ['pods/exec', 'pods/attach'], verbs: ['create', 'get'] };

export const rbacPodExec: Rule = {
  id: 'rbac-pod-exec',
  group: 'rbac',
  title: 'Roles should not allow exec or attach into pods',
  severity: 'error',
  rationale:
    'Exec and attach open an interactive shell inside a running container, with its mounted secrets, HSM sessions and network access, outside the change process and past the application’s own logging of who did what.',
  remediation:
    'Remove pods/exec and pods/attach from the role; grant them only through a time-limited, audited break-glass procedure, and debug with logs, metrics and ephemeral debug containers under review.',
  references: {
    pci: ['8.6.1'],
    like: 'polaris clusterrolePodExecAttach',
  },
  check(object, context) {
    for (const rule of policyRulesOf(object)) {
      const grant = grants(rule, EXEC);
      if (!grant) continue;
      const resource = grant.resources[0];
      const via = grant.granted.includes(resource.value) ? '' : ` (via "${resource.value}")`;
      // resourceNames narrows exec to the named pods; it still opens a shell in them.
      const pods = rule.resourceNames.length > 0 ? `the pods named ${rule.resourceNames.join(', ')}` : 'any pod';
      const websocket = grant.verbs.every((v) => v.value === 'get')
        ? ' (get is enough for exec over WebSockets before Kubernetes 1.31)'
        : '';
      context.report({
        path: itemPath(rule, 'resources', resource),
        message: `${roleLabel(object)} grants ${describeVerbs(grant.verbs)} on ${grant.granted.join(' and ')}${via}${websocket}: shells into ${pods}, ${roleScope(object)}.`,
      });
    }
  },
};
