// Document path → the exact source span: the offending pair, or the nearest parent that exists when
// the key is missing (a container's `name:` line when its securityContext is absent).
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Path } from './types';

export interface Located {
  /** Offsets relative to the parsed text. */
  start: number;
  end: number;
  /** True when the whole path exists. */
  exact: boolean;
}

export interface Walk {
  /** Deepest node reached and how many path steps it took. */
  node: Node | null;
  depth: number;
  /** The pair whose value is `node`, when the last step was a map key. */
  pair?: Pair<Node, Node | null>;
  /** The map that holds `pair`. */
  parentMap?: YAMLMap<Node, Node | null>;
  /** True when the last step was a sequence index. */
  viaIndex: boolean;
}

export function walk(doc: Document.Parsed, path: Path): Walk {
  let node = resolveAlias(doc, doc.contents as Node | null);
  let result: Walk = { node, depth: 0, viaIndex: false };
  for (let depth = 0; depth < path.length; depth++) {
    const key = path[depth];
    if (isMap(node) && typeof key === 'string') {
      // js-yaml gives every key as a string (8583: becomes "8583"); compare as strings. Scalar keys only:
      // writing out a collection key (`? ? ? …`) is quadratic, and no path names one.
      const pair = (node as YAMLMap<Node, Node | null>).items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (!pair) break;
      const parentMap = node as YAMLMap<Node, Node | null>;
      node = resolveAlias(doc, pair.value);
      result = { node, depth: depth + 1, pair, parentMap, viaIndex: false };
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as Node | undefined;
      if (item === undefined) break;
      node = resolveAlias(doc, item);
      result = { node, depth: depth + 1, viaIndex: true };
    } else {
      break;
    }
  }
  return result;
}

/** Whether path reaches a scalar written plain (no quotes, no block indicator). */
export function isPlainScalarAt(doc: Document.Parsed, path: Path): boolean {
  const reached = walk(doc, path);
  return reached.depth === path.length && isScalar(reached.node) && reached.node.type === 'PLAIN';
}

export function locate(doc: Document.Parsed, path: Path): Located {
  const reached = walk(doc, path);
  const exact = reached.depth === path.length;
  const span = exact ? spanOfTarget(reached) : spanOfNearestParent(reached);
  return { ...(span ?? documentStart(doc)), exact };
}

function spanOfTarget(reached: Walk): { start: number; end: number } | undefined {
  const { node, pair } = reached;
  if (pair && !reached.viaIndex) return spanOfPair(pair);
  if (isMap(node)) return anchorPairSpan(node as YAMLMap<Node, Node | null>) ?? rangeOf(node);
  return rangeOf(node);
}

function spanOfNearestParent(reached: Walk): { start: number; end: number } | undefined {
  const { node, pair } = reached;
  // A map reached through a sequence (a container, a port): its `name` pair identifies it best.
  if (isMap(node) && (reached.viaIndex || !pair)) return anchorPairSpan(node as YAMLMap<Node, Node | null>);
  if (pair) return rangeOf(pair.key as Node);
  return rangeOf(node);
}

/** key: value for scalars; just the key when the value is a collection (no need to paint a block). */
function spanOfPair(pair: Pair<Node, Node | null>): { start: number; end: number } | undefined {
  const key = rangeOf(pair.key as Node);
  if (!key) return rangeOf(pair.value);
  const value = pair.value;
  if (value && isScalar(value) && value.range && value.range[1] > value.range[0]) return { start: key.start, end: value.range[1] };
  return key;
}

const IDENTIFYING_KEYS = ['name', 'kind', 'containerPort', 'port', 'key'];

function anchorPairSpan(map: YAMLMap<Node, Node | null>): { start: number; end: number } | undefined {
  for (const wanted of IDENTIFYING_KEYS) {
    const pair = map.items.find((p) => keyOf(p) === wanted);
    if (pair) return spanOfPair(pair);
  }
  const first = map.items[0];
  return first ? spanOfPair(first) : rangeOf(map);
}

function rangeOf(node: Node | null | undefined): { start: number; end: number } | undefined {
  if (!node || !node.range) return undefined;
  const [start, valueEnd] = node.range;
  return { start, end: Math.max(valueEnd, start) };
}

function documentStart(doc: Document.Parsed): { start: number; end: number } {
  const start = doc.range?.[0] ?? 0;
  return { start, end: start };
}

export function keyOf(pair: Pair<unknown, unknown>): unknown {
  const key = pair.key;
  return isScalar(key) ? key.value : key;
}

function resolveAlias(doc: Document.Parsed, node: Node | null | undefined): Node | null {
  if (node && isAlias(node)) return (node.resolve(doc) as Node | undefined) ?? node;
  return node ?? null;
}
