// Walking the plain value of a manifest (or the JSON inside an annotation) for the secrets rules.
import { isMap } from '../../objects';
import { detectValue, isTextBlock, scanText, type SecretFinding } from './detect';
import { isEnvLike } from './shared';

export interface Leaf {
  /** The map key the scalar sits under, or the env var's name for `{name, value}` entries. */
  key: string | undefined;
  value: string | number;
  /** Shared and mutated during the walk: copy it to keep it. */
  path: (string | number)[];
  /** True for `value` of a `{name: X, value: Y}` entry, whose key is X. */
  envLike: boolean;
}

/**
 * Calls visit for every string and number in a value. One path array is pushed and popped along the
 * way (this runs over every object of a scan), so a visitor that keeps a path must copy it.
 */
export function visitLeaves(value: unknown, path: (string | number)[], visit: (leaf: Leaf) => void, key?: string, depth = 0): void {
  if (depth > 64) return;
  if (typeof value === 'string' || typeof value === 'number') {
    visit({ key, value, path, envLike: false });
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      visitLeaves(value[i], path, visit, key, depth + 1);
      path.pop();
    }
  } else if (isMap(value)) {
    const map: Record<string, unknown> = value;
    const envLike = isEnvLike(value);
    for (const k in map) {
      path.push(k);
      if (envLike && k === 'value') visit({ key: map.name as string, value: map.value as string, path, envLike: true });
      else visitLeaves(map[k], path, visit, k, depth + 1);
      path.pop();
    }
  }
}

/** Credentials anywhere in a parsed JSON value, judged under their keys (env entries under their names). */
export function scanTree(value: unknown): SecretFinding[] {
  const found: SecretFinding[] = [];
  visitLeaves(value, [], (leaf) => {
    if (typeof leaf.value !== 'string') return;
    if (isTextBlock(leaf.value)) found.push(...scanText(leaf.value));
    else {
      const finding = detectValue(leaf.key, leaf.value);
      if (finding) found.push(finding);
    }
  });
  return found;
}
