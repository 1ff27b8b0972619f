// The objects rules may consult beyond the one they check: a PodDisruptionBudget, a ServiceAccount,
// a Namespace's labels. The CLI passes every scanned file; the language server its known documents.
import { labelsOf } from './objects';
import type { K8sObject, ResolvedConfig, WorkspaceIndex } from './types';

/** The label that puts a namespace in PCI DSS scope (the cardholder data environment). */
export const PCI_SCOPE_LABEL = 'pci-dss.fintech-k8s.io/scope';
export const PCI_SCOPE_VALUE = 'cde';

export class ObjectIndex implements WorkspaceIndex {
  private readonly byKind = new Map<string, K8sObject[]>();
  private readonly pciNamespaces: Set<string>;
  private byName: Map<string, K8sObject> | undefined;

  constructor(
    private readonly objects: readonly K8sObject[],
    config: ResolvedConfig,
  ) {
    for (const object of objects) {
      const list = this.byKind.get(object.kind);
      if (list) list.push(object);
      else this.byKind.set(object.kind, [object]);
    }
    this.pciNamespaces = new Set(config.pciNamespaces);
    for (const namespace of this.ofKind('Namespace')) {
      if (labelsOf(namespace.value)[PCI_SCOPE_LABEL] === PCI_SCOPE_VALUE) this.pciNamespaces.add(namespace.name);
    }
  }

  all(): readonly K8sObject[] {
    return this.objects;
  }

  ofKind(kind: string): readonly K8sObject[] {
    return this.byKind.get(kind) ?? [];
  }

  find(kind: string, namespace: string | undefined, name: string): K8sObject | undefined {
    if (!this.byName) {
      // Built on first use: most analyses never look an object up by name.
      this.byName = new Map();
      for (const object of this.objects) this.byName.set(objectKey(object), object);
    }
    return this.byName.get(nameKey(kind, namespace, name));
  }

  isPciNamespace(namespace: string | undefined): boolean {
    return this.pciNamespaces.has(namespace ?? 'default');
  }
}

function nameKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? 'default'}/${name}`;
}

const objectKeys = new WeakMap<K8sObject, string>();

/** An object's name key, made once per object: the language server indexes the same objects on every analysis. */
function objectKey(object: K8sObject): string {
  let key = objectKeys.get(object);
  if (key === undefined) objectKeys.set(object, (key = nameKey(object.kind, object.namespace, object.name)));
  return key;
}
