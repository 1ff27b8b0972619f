// A path in one value → the same place in another value of the same shape (the built object → the base
// document or a patch). Map keys carry over; list items are matched by what identifies them (a container's
// name, a port's number), because patches add, remove and reorder items.
import { isMap } from '../objects';
import type { Path } from '../types';

/** Keys that identify an item of a list, in the order kustomize's merge keys use them. */
const IDENTITY_KEYS = ['name', 'mountPath', 'containerPort', 'port', 'devicePath', 'ip', 'topologyKey', 'key'];

export interface Translated {
  /** The steps found in the target value. */
  path: Path;
  /** How many steps of the source path were found (path.length === source length: all of it). */
  depth: number;
}

export function translate(from: unknown, path: Path, to: unknown): Translated {
  const out: (string | number)[] = [];
  let source = from;
  let target = to;
  for (let depth = 0; depth < path.length; depth++) {
    const step = path[depth];
    if (typeof step === 'string') {
      if (!isMap(target) || !(step in target)) return { path: out, depth };
      out.push(step);
      source = isMap(source) ? source[step] : undefined;
      target = target[step];
    } else {
      if (!Array.isArray(target)) return { path: out, depth };
      const item = Array.isArray(source) ? source[step] : undefined;
      const index = matchingIndex(item, step, target);
      if (index === -1) return { path: out, depth };
      out.push(index);
      source = item;
      target = target[index];
    }
  }
  return { path: out, depth: path.length };
}

/**
 * The path to use for locating in the target: the found steps, plus the rest when the first missing step
 * is a key (so the locator shows the nearest parent that is written, as it does for any missing key).
 */
export function translatePath(from: unknown, path: Path, to: unknown): Path {
  const found = translate(from, path, to);
  if (found.depth === path.length || typeof path[found.depth] !== 'string') return found.path;
  return [...found.path, ...path.slice(found.depth)];
}

/** The identity key an item of a list is matched on, if it has one. */
export function identityOf(item: unknown): { key: string; value: unknown } | undefined {
  if (!isMap(item)) return undefined;
  for (const key of IDENTITY_KEYS) if (item[key] !== undefined && typeof item[key] !== 'object') return { key, value: item[key] };
  return undefined;
}

function matchingIndex(item: unknown, index: number, target: unknown[]): number {
  const identity = identityOf(item);
  if (identity) return target.findIndex((candidate) => isMap(candidate) && String(candidate[identity.key]) === String(identity.value));
  return index < target.length ? index : -1;
}
