import { asString, podSpecOf } from '../../objects';
import type { Fix, K8sObject, Rule, WorkspaceIndex } from '../../types';
import { objectLabel, relatedTo } from '../related';

export const defaultServiceAccount: Rule = {
  id: 'default-service-account',
  group: 'secrets',
  title: 'Workloads should run under their own ServiceAccount',
  severity: 'warning',
  rationale:
    'Every pod that does not name a ServiceAccount shares the namespace\u2019s `default` identity, so any permission or image-pull secret granted to one workload silently extends to all of them and audit logs cannot tell them apart.',
  remediation:
    'Create a ServiceAccount per workload (with `automountServiceAccountToken: false` unless it calls the API), bind only the roles it needs, and set `serviceAccountName` on the pod spec.',
  references: { pci: ['2.2.2'], cis: ['5.1.5'], like: 'kube-linter default-service-account' },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return;
    const name = asString(pod.spec.serviceAccountName);
    // The deprecated `serviceAccount` field still works when serviceAccountName is absent.
    const legacy = asString(pod.spec.serviceAccount);
    const effective = name || legacy || 'default';
    if (effective !== 'default') return;
    const key = name !== undefined ? 'serviceAccountName' : legacy !== undefined ? 'serviceAccount' : 'serviceAccountName';
    const path = [...pod.path, key];
    const namespace = object.namespace ?? 'default';
    const account = dedicatedAccount(object, namespace, context.workspace);
    context.report({
      path,
      message:
        name === undefined && legacy === undefined
          ? `${object.kind} "${object.name}" names no ServiceAccount, so its pods run as the namespace's "default" ServiceAccount.`
          : `${object.kind} "${object.name}" runs its pods as the namespace's "default" ServiceAccount.`,
      fix: account && dedicatedAccountFix(object, pod.path, legacy !== undefined),
      // The fix is offered because of that ServiceAccount: removing it (maybe in another file) withdraws the fix.
      related: account && [relatedTo(account, `${objectLabel(account)} is defined: the fix runs the pods under it`)],
    });
  },
};

/**
 * Pointing the pod at a ServiceAccount that does not exist stops it from being created, so the fix is
 * offered only when the workspace defines a ServiceAccount named after the workload in its namespace.
 */
function dedicatedAccount(object: K8sObject, namespace: string, workspace: WorkspaceIndex): K8sObject | undefined {
  if (!object.name || object.name === 'default') return undefined;
  return workspace.find('ServiceAccount', namespace, object.name);
}

function dedicatedAccountFix(object: K8sObject, podPath: readonly (string | number)[], hasLegacy: boolean): Fix {
  return {
    title: `Use ServiceAccount "${object.name}"`,
    ops: [
      { op: 'set', path: [...podPath, 'serviceAccountName'], value: object.name },
      ...(hasLegacy ? [{ op: 'delete' as const, path: [...podPath, 'serviceAccount'] }] : []),
    ],
  };
}
