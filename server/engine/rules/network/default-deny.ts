// The two PCI default-deny rules. A namespace is reported on its Namespace object when the workspace
// defines it; when it does not (PCI scope set in config, Namespace managed elsewhere), on each
// workload in it, so the finding still lands in a file the team edits.
import { podSpecOf } from '../../objects';
import type { K8sObject, RuleContext } from '../../types';
import { isDefaultDeny, namespaceOf, networkPoliciesIn, objectPath, otherPolicyMayApply, type PolicyType } from './policies';

const namespacesByIndex = new WeakMap<object, Set<string>>();

function definedNamespaces(context: RuleContext): Set<string> {
  let names = namespacesByIndex.get(context.workspace);
  if (!names) {
    names = new Set(context.workspace.ofKind('Namespace').map((n) => n.name));
    namespacesByIndex.set(context.workspace, names);
  }
  return names;
}

export function checkDefaultDeny(object: K8sObject, context: RuleContext, type: PolicyType): void {
  let namespace: string;
  let path;
  if (object.kind === 'Namespace') {
    if (!object.name) return;
    namespace = object.name;
    path = objectPath(object, 'metadata', 'name');
  } else {
    if (!podSpecOf(object)) return;
    namespace = namespaceOf(object);
    if (definedNamespaces(context).has(namespace)) return;
    path = objectPath(object, 'metadata', 'namespace');
  }
  if (!context.workspace.isPciNamespace(namespace)) return;
  if (networkPoliciesIn(namespace, context.workspace).some((policy) => isDefaultDeny(policy, type))) return;
  // Calico/Cilium policies may implement the default deny in a way we cannot evaluate.
  if (otherPolicyMayApply(namespace, context.workspace)) return;
  const direction = type === 'Ingress' ? 'ingress' : 'egress';
  context.report({
    path,
    message:
      object.kind === 'Namespace'
        ? `PCI-scoped namespace "${namespace}" has no default-deny ${direction} NetworkPolicy (podSelector: {}, policyTypes: [${type}], no ${direction} rules) in the workspace.`
        : `${object.kind} "${object.name}" runs in PCI-scoped namespace "${namespace}", which has no default-deny ${direction} NetworkPolicy (podSelector: {}, policyTypes: [${type}], no ${direction} rules) in the workspace.`,
  });
}
