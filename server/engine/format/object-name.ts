import { CLUSTER_SCOPED_KINDS } from '../objects';
import type { ObjectRef } from '../types';

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped kinds; an unset namespace reads as default. */
export function qualifiedName(object: ObjectRef): string {
  if (CLUSTER_SCOPED_KINDS.has(object.kind)) return `${object.kind}/${object.name}`;
  return `${object.kind}/${object.namespace ?? 'default'}/${object.name}`;
}
