// The objects rules may consult beyond the one they check: a PodDisruptionBudget, a ServiceAccount,
// a Namespace's labels. The CLI passes every scanned file; the language server its known documents.
import { labelsOf } from './objects';
import type { K8sObject, ResolvedConfig, WorkspaceIndex } from './types';

/** The label that puts a namespace in PCI DSS scope (the cardholder data environment). */
export const PCI_SCOPE_LABEL = 'pci-dss.fintech-k8s.io/scope';
export const PCI_SCOPE_VALUE = 'cde';

/**
 * The objects of the files not being analysed (the language server's workspace), indexed once and shared
 * by every analysis until one of those files changes: at 50,000 objects, rebuilding this per keystroke
 * would cost more than the analysis itself.
 */
export class ContextIndex {
  private readonly byKind = new Map<string, K8sObject[]>();
  private byName: Map<string, K8sObject> | undefined;
  private readonly grouped = new Map<string, Map<string, unknown[]>>();
  /** Namespaces whose Namespace object carries the PCI scope label. */
  readonly pciLabelled: ReadonlySet<string>;

  constructor(readonly objects: readonly K8sObject[]) {
    groupByKind(objects, this.byKind);
    this.pciLabelled = pciLabelledNamespaces(this.ofKind('Namespace'));
  }

  ofKind(kind: string): readonly K8sObject[] {
    return this.byKind.get(kind) ?? [];
  }

  find(kind: string, namespace: string | undefined, name: string): K8sObject | undefined {
    // Built on first use: most analyses never look an object up by name.
    this.byName ??= byNameKey(this.objects);
    return this.byName.get(nameKey(kind, namespace, name));
  }

  groups<T>(name: string, entryOf: (object: K8sObject) => [string, T] | undefined): Map<string, T[]> {
    let groups = this.grouped.get(name) as Map<string, T[]> | undefined;
    if (!groups) this.grouped.set(name, (groups = group(this.objects, entryOf)));
    return groups;
  }
}

const NO_CONTEXT = new ContextIndex([]);

/** What one analysis sees: the objects of the files it analyses, over the shared context of the others. */
export class ObjectIndex implements WorkspaceIndex {
  private readonly byKind = new Map<string, K8sObject[]>();
  private readonly merged = new Map<string, readonly K8sObject[]>();
  private readonly pciNamespaces: Set<string>;
  private byName: Map<string, K8sObject> | undefined;
  private everything: readonly K8sObject[] | undefined;
  private readonly context: ContextIndex;
  private readonly lookups = new Map<string, unknown>();

  constructor(
    private readonly objects: readonly K8sObject[],
    config: ResolvedConfig,
    context: ContextIndex | readonly K8sObject[] = NO_CONTEXT,
  ) {
    this.context = context instanceof ContextIndex ? context : new ContextIndex(context);
    groupByKind(objects, this.byKind);
    this.pciNamespaces = new Set([...config.pciNamespaces, ...this.context.pciLabelled]);
    for (const namespace of pciLabelledNamespaces(this.byKind.get('Namespace') ?? [])) this.pciNamespaces.add(namespace);
  }

  all(): readonly K8sObject[] {
    this.everything ??= this.context.objects.length === 0 ? this.objects : [...this.objects, ...this.context.objects];
    return this.everything;
  }

  ofKind(kind: string): readonly K8sObject[] {
    const own = this.byKind.get(kind);
    const shared = this.context.ofKind(kind);
    if (!own) return shared;
    if (shared.length === 0) return own;
    let both = this.merged.get(kind);
    if (!both) this.merged.set(kind, (both = [...own, ...shared]));
    return both;
  }

  find(kind: string, namespace: string | undefined, name: string): K8sObject | undefined {
    this.byName ??= byNameKey(this.objects);
    return this.byName.get(nameKey(kind, namespace, name)) ?? this.context.find(kind, namespace, name);
  }

  isPciNamespace(namespace: string | undefined): boolean {
    return this.pciNamespaces.has(namespace ?? 'default');
  }

  groupedBy<T>(name: string, entryOf: (object: K8sObject) => [string, T] | undefined): (key: string) => readonly T[] {
    let lookup = this.lookups.get(name) as ((key: string) => readonly T[]) | undefined;
    if (lookup) return lookup;
    const own = group(this.objects, entryOf);
    const shared = this.context.groups(name, entryOf);
    const both = new Map<string, readonly T[]>();
    lookup = (key) => {
      let entries = both.get(key);
      if (!entries) both.set(key, (entries = [...(own.get(key) ?? []), ...(shared.get(key) ?? [])]));
      return entries;
    };
    this.lookups.set(name, lookup);
    return lookup;
  }
}

function group<T>(objects: readonly K8sObject[], entryOf: (object: K8sObject) => [string, T] | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const object of objects) {
    const entry = entryOf(object);
    if (!entry) continue;
    const list = groups.get(entry[0]);
    if (list) list.push(entry[1]);
    else groups.set(entry[0], [entry[1]]);
  }
  return groups;
}

function groupByKind(objects: readonly K8sObject[], byKind: Map<string, K8sObject[]>): void {
  for (const object of objects) {
    const list = byKind.get(object.kind);
    if (list) list.push(object);
    else byKind.set(object.kind, [object]);
  }
}

function pciLabelledNamespaces(namespaces: readonly K8sObject[]): Set<string> {
  const labelled = new Set<string>();
  for (const namespace of namespaces) if (labelsOf(namespace.value)[PCI_SCOPE_LABEL] === PCI_SCOPE_VALUE) labelled.add(namespace.name);
  return labelled;
}

/** Objects by kind, namespace and name; of duplicates, the later one. */
function byNameKey(objects: readonly K8sObject[]): Map<string, K8sObject> {
  const map = new Map<string, K8sObject>();
  for (const object of objects) map.set(objectKey(object), object);
  return map;
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
