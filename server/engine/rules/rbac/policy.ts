// Shared reading of RBAC objects: the PolicyRules of Roles and ClusterRoles, the subjects of bindings,
// and whether a rule grants a permission, matched the way the API server's RBAC authorizer matches
// (rbac/v1 helpers: `*` matches everything; a resource `*/sub` matches that subresource of any
// resource; `pods/*` is a literal name that matches nothing).
import { asArray, asMap, asString, getIn, labelsOf } from '../../objects';
import type { K8sObject, Path } from '../../types';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** A list of strings of a PolicyRule, each with its index in the YAML sequence. */
export type Items = readonly { value: string; index: number }[];

export interface PolicyRuleAt {
  /** Document path of the rule (`rules[i]`). */
  path: Path;
  apiGroups: Items;
  resources: Items;
  verbs: Items;
  resourceNames: string[];
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function isRbacKind(object: K8sObject, ...kinds: string[]): boolean {
  return kinds.includes(object.kind) && groupOf(object.apiVersion) === RBAC_GROUP;
}

function items(value: unknown): Items {
  const result: { value: string; index: number }[] = [];
  asArray(value).forEach((item, index) => {
    if (typeof item === 'string') result.push({ value: item, index });
  });
  return result;
}

const rulesCache = new WeakMap<K8sObject, readonly PolicyRuleAt[]>();

/**
 * The resource rules of a Role or ClusterRole; [] for other kinds. An aggregated ClusterRole
 * (`aggregationRule`) yields none: the controller overwrites its rules with those of the ClusterRoles
 * its selectors match, and those ClusterRoles are checked on their own.
 */
export function policyRulesOf(object: K8sObject): readonly PolicyRuleAt[] {
  let rules = rulesCache.get(object);
  if (rules) return rules;
  rules = [];
  if (isRbacKind(object, 'Role', 'ClusterRole') && !(object.kind === 'ClusterRole' && asMap(object.value.aggregationRule))) {
    const list = rules as PolicyRuleAt[];
    asArray(object.value.rules).forEach((rule, i) => {
      const map = asMap(rule);
      if (!map) return;
      const apiGroups = items(map.apiGroups);
      list.push({
        path: [...object.path, 'rules', i],
        // A resource rule without apiGroups is rejected by the API server; read it as the core group,
        // which is what its author almost always meant.
        apiGroups: map.apiGroups === undefined ? [{ value: '', index: -1 }] : apiGroups,
        resources: items(map.resources),
        verbs: items(map.verbs),
        resourceNames: items(map.resourceNames).map((item) => item.value),
      });
    });
  }
  rulesCache.set(object, rules);
  return rules;
}

/** A permission to look for: resources (`pods`, `pods/exec`) of API groups, with verbs (`*`: any verb). */
export interface Permission {
  groups: readonly string[];
  resources: readonly string[];
  verbs: readonly string[];
}

export interface Grant {
  /** The resource items of the rule that grant the permission. */
  resources: Items;
  /** The verb items of the rule that grant the permission. */
  verbs: Items;
  /** The permission's resources the rule grants (as requested, e.g. `pods/exec`). */
  granted: string[];
}

function resourceMatches(ruleResource: string, requested: string): boolean {
  if (ruleResource === '*' || ruleResource === requested) return true;
  const slash = requested.indexOf('/');
  return slash > 0 && ruleResource.startsWith('*/') && ruleResource.slice(2) === requested.slice(slash + 1);
}

/** What of the permission the rule grants, or undefined when it grants none of it. */
export function grants(rule: PolicyRuleAt, permission: Permission): Grant | undefined {
  if (!rule.apiGroups.some((g) => g.value === '*' || permission.groups.includes(g.value))) return undefined;
  const anyVerb = permission.verbs.includes('*');
  const verbs = rule.verbs.filter((v) => anyVerb || v.value === '*' || permission.verbs.includes(v.value));
  if (verbs.length === 0) return undefined;
  const granted = permission.resources.filter((requested) => rule.resources.some((r) => resourceMatches(r.value, requested)));
  if (granted.length === 0) return undefined;
  const resources = rule.resources.filter((r) => granted.some((requested) => resourceMatches(r.value, requested)));
  return { resources, verbs, granted };
}

/** Document path of an item of a rule's list (`rules[i].resources[j]`), or of the list when it has no items. */
export function itemPath(rule: PolicyRuleAt, list: 'apiGroups' | 'resources' | 'verbs', item?: { index: number }): Path {
  return item && item.index >= 0 ? [...rule.path, list, item.index] : [...rule.path, list];
}

const AGGREGATE_TO = /^rbac\.authorization\.k8s\.io\/aggregate-to-(admin|edit|view)$/;

/** `ClusterRole "x"` / `Role "payments/x"`, for messages. */
export function roleLabel(object: K8sObject): string {
  return object.kind === 'Role' ? `Role "${object.namespace ?? 'default'}/${object.name}"` : `${object.kind} "${object.name}"`;
}

/** `ClusterRoleBinding "x"` / `RoleBinding "payments/x"`, for messages. */
export function bindingLabel(object: K8sObject): string {
  return object.kind === 'RoleBinding'
    ? `RoleBinding "${object.namespace ?? 'default'}/${object.name}"`
    : `${object.kind} "${object.name}"`;
}

/**
 * Where the role's rules apply, for messages: a Role's namespace; a ClusterRole anywhere it is bound,
 * and to everyone holding a built-in role it aggregates into.
 */
export function roleScope(object: K8sObject): string {
  if (object.kind === 'Role') return `in namespace ${object.namespace ?? 'default'}`;
  const into = Object.entries(labelsOf(object.value))
    .filter(([key, value]) => value === 'true' && AGGREGATE_TO.test(key))
    .map(([key]) => AGGREGATE_TO.exec(key)![1]);
  const aggregated = into.length > 0 ? `, and to everyone bound to the built-in ${into.join('/')} role it aggregates into` : '';
  return `wherever it is bound (cluster-wide through a ClusterRoleBinding)${aggregated}`;
}

/** `get, list` or `"*"`, for messages. */
export function describeVerbs(verbs: Items): string {
  return verbs.map((v) => (v.value === '*' ? '"*"' : v.value)).join(', ');
}

export interface SubjectAt {
  kind: string;
  name: string;
  namespace?: string;
  path: Path;
}

/** The subjects of a RoleBinding or ClusterRoleBinding. */
export function subjectsOf(object: K8sObject): SubjectAt[] {
  const result: SubjectAt[] = [];
  asArray(object.value.subjects).forEach((subject, i) => {
    const map = asMap(subject);
    if (!map) return;
    result.push({
      kind: asString(map.kind) ?? '',
      name: asString(map.name) ?? '',
      namespace: asString(map.namespace),
      path: [...object.path, 'subjects', i],
    });
  });
  return result;
}

export function describeSubject(subject: SubjectAt): string {
  if (subject.kind === 'ServiceAccount') return `ServiceAccount "${subject.namespace ? `${subject.namespace}/` : ''}${subject.name}"`;
  return `${subject.kind || 'subject'} "${subject.name}"`;
}

/** Up to three subjects, for messages. */
export function describeSubjects(subjects: readonly SubjectAt[]): string {
  if (subjects.length === 0) return 'no subject';
  const shown = subjects.slice(0, 3).map(describeSubject).join(', ');
  return subjects.length > 3 ? `${shown} and ${subjects.length - 3} more` : shown;
}

export function roleRefOf(object: K8sObject): { kind: string; name: string } | undefined {
  const ref = asMap(getIn(object.value, ['roleRef']));
  if (!ref) return undefined;
  return { kind: asString(ref.kind) ?? '', name: asString(ref.name) ?? '' };
}
