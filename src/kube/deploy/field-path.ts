// Field paths as the API server writes them, parsed into segments so an error can be pointed at its line.
// Two spellings arrive: validation causes use Kubernetes' field.Path (`spec.containers[0].image`,
// `metadata.labels[app.kubernetes.io/name]`), server-side apply uses structured-merge-diff paths
// (`.spec.containers[name="app"].image`, `.spec.ports[port=80,protocol="TCP"]`, `.metadata.finalizers[="x"]`).

export type PathSegment =
  | { type: 'key'; key: string }
  | { type: 'index'; index: number }
  /** An element of an associative list, named by the values of its key fields. */
  | { type: 'select'; fields: Record<string, string> }
  /** An element of a list of scalars, named by its value. */
  | { type: 'value'; value: string };

export function parseFieldPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i++;
      continue;
    }
    if (c === '[') {
      const close = closingBracket(path, i);
      const inner = path.slice(i + 1, close);
      segments.push(bracketSegment(inner));
      i = close + 1;
      continue;
    }
    let end = i;
    while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
    segments.push({ type: 'key', key: path.slice(i, end) });
    i = end;
  }
  return segments;
}

/** The `]` closing the bracket at `open`, skipping quoted strings (values may contain `]`). */
function closingBracket(path: string, open: number): number {
  let quoted = false;
  for (let i = open + 1; i < path.length; i++) {
    const c = path[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ']') return i;
  }
  return path.length;
}

function bracketSegment(inner: string): PathSegment {
  if (/^\d+$/.test(inner)) return { type: 'index', index: Number(inner) };
  if (inner.startsWith('=')) return { type: 'value', value: unquote(inner.slice(1)) };
  // name="app",protocol="TCP" or port=80: every part is key=value with a JSON-ish value.
  const parts = [...inner.matchAll(/([A-Za-z0-9_-]+)=("(?:[^"\\]|\\.)*"|[^,]*)(?:,|$)/g)];
  if (parts.length > 0 && parts.map((p) => p[0]).join('') === inner) {
    return { type: 'select', fields: Object.fromEntries(parts.map((p) => [p[1], unquote(p[2])])) };
  }
  return { type: 'key', key: inner };
}

function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  try {
    return String(JSON.parse(value));
  } catch {
    return value.slice(1, -1);
  }
}

/** Canonical text of concrete segments (keys and indexes), used as the key of source-position indexes. */
export function pathKey(segments: readonly (string | number)[]): string {
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${segment}]`;
  }
  return text;
}

/**
 * Resolves parsed segments against the object they describe, turning list selectors into indexes.
 * Stops at the first segment that does not exist; `complete` says whether all of them did.
 */
export function resolveSegments(object: unknown, segments: PathSegment[]): { path: (string | number)[]; complete: boolean } {
  const path: (string | number)[] = [];
  let node: unknown = object;
  for (const segment of segments) {
    if (segment.type === 'key') {
      if (!isRecord(node) || !(segment.key in node)) return { path, complete: false };
      path.push(segment.key);
      node = node[segment.key];
      continue;
    }
    if (!Array.isArray(node)) return { path, complete: false };
    const index =
      segment.type === 'index'
        ? segment.index < node.length
          ? segment.index
          : -1
        : segment.type === 'value'
          ? node.findIndex((item) => String(item) === segment.value)
          : node.findIndex((item) => matchesSelector(item, segment.fields));
    if (index < 0) return { path, complete: false };
    path.push(index);
    node = node[index];
  }
  return { path, complete: true };
}

// A key field the manifest leaves out was defaulted by the server (protocol: TCP): it does not disqualify.
function matchesSelector(item: unknown, fields: Record<string, string>): boolean {
  if (!isRecord(item)) return false;
  let matched = 0;
  for (const [key, value] of Object.entries(fields)) {
    if (!(key in item)) continue;
    if (String(item[key]) !== value) return false;
    matched++;
  }
  return matched > 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
