// Capability lists as Kubernetes spells them, shared by the capability rules of this group.
import { asArray, getIn } from '../../objects';
import type { ContainerAt } from '../../objects';
import type { Path } from '../../types';

/**
 * The capabilities the Pod Security baseline profile lets a container add (Kubernetes 1.33): the
 * container-runtime defaults minus NET_RAW. Anything else is what baseline admission rejects.
 */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

const CAP_PREFIX = /^CAP_/;

/** `cap_sys_admin`, `CAP_SYS_ADMIN` and `SYS_ADMIN` grant the same power: compare on one spelling. */
export function normalizeCapability(value: unknown): string {
  return String(value).trim().toUpperCase().replace(CAP_PREFIX, '');
}

export interface CapabilityItem {
  /** As written in the manifest. */
  raw: string;
  normalized: string;
  /** Document path of the list item. */
  path: Path;
}

/** The items of `securityContext.capabilities.add` (or `.drop`) of a container. */
export function capabilityItems(container: ContainerAt, list: 'add' | 'drop'): CapabilityItem[] {
  const base: Path = [...container.path, 'securityContext', 'capabilities', list];
  return asArray(getIn(container.container, ['securityContext', 'capabilities', list])).map((item, i) => ({
    raw: String(item),
    normalized: normalizeCapability(item),
    path: [...base, i],
  }));
}
