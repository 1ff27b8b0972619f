// Helpers for Report.related: how a rule names the object a finding depends on, and the one dependency many
// rules share, the Namespace whose label puts a namespace in PCI scope.
import { CLUSTER_SCOPED_KINDS, labelsOf } from '../objects';
import type { K8sObject, Path, RelatedReport, WorkspaceIndex } from '../types';
import { PCI_SCOPE_LABEL, PCI_SCOPE_VALUE } from '../workspace';

/** `Service payments/ledger-rpc`, `Namespace payments`: kind, then namespace/name (an unset namespace reads as default). */
export function objectLabel(object: K8sObject): string {
  if (CLUSTER_SCOPED_KINDS.has(object.kind)) return `${object.kind} ${object.name}`;
  return `${object.kind} ${object.namespace ?? 'default'}/${object.name}`;
}

/** One related entry; path is a document path of that object's document (as Report.path). */
export function relatedTo(object: K8sObject, message: string, path?: Path): RelatedReport {
  return path ? { object, path, message } : { object, message };
}

/**
 * The Namespace object whose label puts the namespace in PCI scope, for findings that apply (or weigh more)
 * only there. Undefined when the scope comes from settings alone: no object to point at.
 */
export function pciScopeRelated(workspace: WorkspaceIndex, namespace: string | undefined): RelatedReport[] | undefined {
  const name = namespace ?? 'default';
  const object = workspace.ofKind('Namespace').find((ns) => ns.name === name && labelsOf(ns.value)[PCI_SCOPE_LABEL] === PCI_SCOPE_VALUE);
  if (!object) return undefined;
  return [
    relatedTo(object, `Namespace ${name} is PCI-scoped by label ${PCI_SCOPE_LABEL}=${PCI_SCOPE_VALUE}`, [
      ...object.path,
      'metadata',
      'labels',
      PCI_SCOPE_LABEL,
    ]),
  ];
}
