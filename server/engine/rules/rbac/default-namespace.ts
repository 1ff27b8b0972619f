import { asString, CLUSTER_SCOPED_KINDS, getIn, ownValue } from '../../objects';
import type { Fix, Rule, WorkspaceIndex } from '../../types';

/** Namespaced kinds of the built-in API groups (and the removed `extensions` beta), by group. */
const NAMESPACED: Record<string, ReadonlySet<string>> = {
  '': new Set([
    'Pod',
    'PodTemplate',
    'ReplicationController',
    'Service',
    'Endpoints',
    'ConfigMap',
    'Secret',
    'ServiceAccount',
    'PersistentVolumeClaim',
    'LimitRange',
    'ResourceQuota',
  ]),
  apps: new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision']),
  batch: new Set(['Job', 'CronJob']),
  extensions: new Set(['Deployment', 'DaemonSet', 'ReplicaSet', 'Ingress', 'NetworkPolicy']),
  'networking.k8s.io': new Set(['Ingress', 'NetworkPolicy']),
  policy: new Set(['PodDisruptionBudget']),
  'rbac.authorization.k8s.io': new Set(['Role', 'RoleBinding']),
  autoscaling: new Set(['HorizontalPodAutoscaler']),
  'coordination.k8s.io': new Set(['Lease']),
  'discovery.k8s.io': new Set(['EndpointSlice']),
  'storage.k8s.io': new Set(['CSIStorageCapacity']),
};

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function directoryOf(file: string): string {
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return slash < 0 ? '' : file.slice(0, slash);
}

interface WorkspaceFacts {
  /** Scope of custom kinds whose CustomResourceDefinition is in the workspace, by "group/Kind". */
  crdScopes: Map<string, string>;
  /** Non-default namespaces the objects of each file name (set explicitly, or defined as a Namespace). */
  namespacesByFile: Map<string, Set<string>>;
  /** Directories whose kustomization sets `namespace:` for the resources it builds. */
  kustomizedDirectories: Set<string>;
}

const factsByIndex = new WeakMap<WorkspaceIndex, WorkspaceFacts>();

function factsOf(workspace: WorkspaceIndex): WorkspaceFacts {
  let facts = factsByIndex.get(workspace);
  if (facts) return facts;
  facts = { crdScopes: new Map(), namespacesByFile: new Map(), kustomizedDirectories: new Set() };
  for (const crd of workspace.ofKind('CustomResourceDefinition')) {
    const group = asString(getIn(crd.value, ['spec', 'group']));
    const kind = asString(getIn(crd.value, ['spec', 'names', 'kind']));
    const scope = asString(getIn(crd.value, ['spec', 'scope']));
    if (group !== undefined && kind && scope) facts.crdScopes.set(`${group}/${kind}`, scope);
  }
  for (const kustomization of workspace.ofKind('Kustomization')) {
    if (groupOf(kustomization.apiVersion) !== 'kustomize.config.k8s.io') continue;
    if (asString(kustomization.value.namespace)) facts.kustomizedDirectories.add(directoryOf(kustomization.file));
  }
  for (const object of workspace.all()) {
    const namespace = object.kind === 'Namespace' && object.apiVersion === 'v1' ? object.name : object.namespace;
    if (!namespace || namespace === 'default') continue;
    let namespaces = facts.namespacesByFile.get(object.file);
    if (!namespaces) facts.namespacesByFile.set(object.file, (namespaces = new Set()));
    namespaces.add(namespace);
  }
  factsByIndex.set(workspace, facts);
  return facts;
}

export const defaultNamespace: Rule = {
  id: 'default-namespace',
  group: 'rbac',
  title: 'Objects should name a namespace other than default',
  severity: 'warning',
  rationale:
    'The default namespace usually has no Pod Security level, NetworkPolicy or quota of its own, and an object without a namespace lands wherever the deployer’s kubectl context points, so a payment service can end up outside its segmented, PCI-scoped namespace.',
  remediation: 'Set `metadata.namespace` to the application’s own namespace (or set it once in the kustomization that builds these files).',
  references: {
    pci: ['2.2.3'],
    cis: ['5.7.4'],
    like: 'kube-linter use-namespace',
  },
  check(object, context) {
    if (CLUSTER_SCOPED_KINDS.has(object.kind)) return;
    const path = [...object.path, 'metadata', 'namespace'];
    const namespace = object.namespace || undefined;
    if (namespace === 'default') {
      // No fix: moving an object out of a namespace someone named on purpose needs a decision.
      context.report({ path, message: `${object.kind} "${object.name}" is in the default namespace; give it its own namespace.` });
      return;
    }
    if (namespace !== undefined) return;
    const group = groupOf(object.apiVersion);
    const facts = factsOf(context.workspace);
    // Custom kinds may be cluster-scoped: only those whose CRD in the workspace says Namespaced count.
    const namespaced = ownValue(NAMESPACED, group)?.has(object.kind) || facts.crdScopes.get(`${group}/${object.kind}`) === 'Namespaced';
    if (!namespaced) return;
    // A kustomization next to the file that sets `namespace:` fills it in at build time.
    if (facts.kustomizedDirectories.has(directoryOf(object.file))) return;
    // The fix is only offered when the file's other objects agree on one namespace: then the missing
    // one is an oversight, not a file written to be applied with `kubectl -n`.
    const candidates = facts.namespacesByFile.get(object.file);
    const only = candidates?.size === 1 ? [...candidates][0] : undefined;
    const fix: Fix | undefined = only
      ? { title: `Set namespace: ${only} (as the other objects of this file)`, ops: [{ op: 'set', path, value: only }] }
      : undefined;
    context.report({
      path,
      message: `${object.kind} "${object.name}" has no metadata.namespace: it lands wherever the deployer's kubectl context points, often default.`,
      fix,
    });
  },
};
