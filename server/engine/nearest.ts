// Which of several objects of the same kind, namespace and name a reference means: the one nearest the
// referring file (the same file, then the same directory, then up the tree). Repositories with variant
// folders (`postgres-hpa/`, `tls-ip-selfsigned/`) define the same Service once per variant, with
// different ports, and a reference in one variant means its own copy.

function directoriesOf(file: string): string[] {
  const parts = file.replace(/\\/g, '/').split('/');
  parts.pop();
  return parts.filter((part) => part !== '' && part !== '.');
}

/**
 * How near `to` is to `from`: highest for the same file, then by the directories they share; a file in
 * a directory on `from`'s own path beats one in a sibling branch that shares as much.
 */
export function closeness(from: string, to: string): number {
  if (from === to) return Number.MAX_SAFE_INTEGER;
  const a = directoriesOf(from);
  const b = directoriesOf(to);
  let shared = 0;
  while (shared < a.length && shared < b.length && a[shared] === b[shared]) shared++;
  return shared * 2 + (shared === b.length ? 1 : 0);
}

/** The candidate nearest `file`; of equally near ones, the first. */
export function nearestTo<T extends { file: string }>(file: string, candidates: readonly T[]): T | undefined {
  let best: T | undefined;
  let bestScore = -1;
  for (const candidate of candidates) {
    const score = closeness(file, candidate.file);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** `to` as seen from `from`'s directory (`service.yaml`, `../postgres-hpa/service.yaml`), for messages. */
export function relativeFile(from: string, to: string): string {
  const a = directoriesOf(from);
  const target = to.replace(/\\/g, '/').split('/');
  const name = target.pop() ?? to;
  const b = target.filter((part) => part !== '' && part !== '.');
  let shared = 0;
  while (shared < a.length && shared < b.length && a[shared] === b[shared]) shared++;
  return [...a.slice(shared).map(() => '..'), ...b.slice(shared), name].join('/');
}
