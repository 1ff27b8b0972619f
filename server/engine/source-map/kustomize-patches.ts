// Which paths of an object a patch wrote, and the line it wrote them on: strategic-merge patches (the
// object's shape, list items matched by their merge key) and JSON 6902 operations (`op`/`path`/`value`).
import { asMap, asString, getIn, isMap, type Json } from '../objects';
import type { Path } from '../types';
import type { PatchEntry, PatchTarget } from './kustomization';
import type { Answer, Question } from './kustomize-provenance';
import type { SourceDoc } from './source-doc';
import { identityOf, translate } from './translate-path';

export interface Patch {
  kind: 'smp' | 'json6902';
  /** The entry's target, or for a strategic-merge patch without one, its own kind and name. */
  target?: PatchTarget;
  /** Where this patch wrote the question's path, if it did. `baseHas` says whether the base document writes it. */
  claim(built: Json, question: Question, baseHas: (path: Path) => boolean): Answer | undefined;
}

/** Paths that name the object a strategic-merge patch applies to, rather than setting anything. */
const IDENTIFYING: Path[] = [['apiVersion'], ['kind'], ['metadata', 'name'], ['metadata', 'namespace']];

export function patchesOf(docs: readonly SourceDoc[], entry: PatchEntry): Patch[] {
  const patches: Patch[] = [];
  for (const doc of docs) {
    const value = doc.value;
    if (Array.isArray(value)) patches.push(jsonPatch(doc, value, entry.target));
    else if (isMap(value)) {
      const metadata = asMap(value.metadata);
      const own: PatchTarget = { kind: asString(value.kind), name: asString(metadata?.name), namespace: asString(metadata?.namespace) };
      patches.push(strategicMergePatch(doc, value, entry.target ?? own));
    }
  }
  return patches;
}

function strategicMergePatch(doc: SourceDoc, patch: Json, target: PatchTarget): Patch {
  return {
    kind: 'smp',
    target,
    claim(built, question, baseHas) {
      const q = question.existing;
      if (IDENTIFYING.some((p) => p.length === q.length && p.every((s, i) => s === q[i]))) return undefined;
      const found = translate(built, q, patch);
      const node = getIn(patch, found.path);
      const answer = (): Answer => ({ at: doc.locate(found.path), doc: doc.docIndex >= 0 ? doc : undefined, docPath: found.path });
      if (found.depth === q.length) {
        if (!isMap(node) && !Array.isArray(node)) return String(node) === String(getIn(built, q)) ? answer() : undefined;
        if (Array.isArray(node) && !node.some((item) => identityOf(item))) return answer(); // a list without merge key is replaced whole
        if (isMap(node) && node.$patch === 'replace') return answer();
        // A key the rule wants is missing from a map this patch writes: add it there.
        if (q.length < question.path.length && typeof q[q.length - 1] === 'string' && isMap(node)) return answer();
        return baseHas(q) ? undefined : answer();
      }
      // Part of the path is inside a value this patch replaced whole (a list of scalars, a `$patch: replace` map).
      if ((Array.isArray(node) && !node.some((item) => identityOf(item))) || (isMap(node) && node.$patch === 'replace'))
        return found.path.length > 0 ? answer() : undefined;
      return undefined;
    },
  };
}

interface Operation {
  index: number;
  op: string;
  pointer: string;
  hasValue: boolean;
  value: unknown;
}

function jsonPatch(doc: SourceDoc, ops: unknown[], target: PatchTarget | undefined): Patch {
  const operations: Operation[] = ops.flatMap((raw, index) => {
    const op = asMap(raw);
    const pointer = asString(op?.path);
    if (!op || pointer === undefined) return [];
    return [{ index, op: String(op.op), pointer, hasValue: 'value' in op, value: op.value }];
  });
  return {
    kind: 'json6902',
    target,
    claim(built, question) {
      const q = question.existing;
      for (let i = operations.length - 1; i >= 0; i--) {
        const operation = operations[i];
        if (!['add', 'replace', 'copy', 'move'].includes(operation.op)) continue;
        const path = resolvePointer(built, operation.pointer);
        if (!path || path.length > q.length || !path.every((step, j) => step === q[j])) continue;
        const rest = q.slice(path.length);
        if (!operation.hasValue) return { at: doc.locate([operation.index, 'path']) };
        if (
          rest.length === 0 &&
          !isMap(operation.value) &&
          !Array.isArray(operation.value) &&
          String(operation.value) !== String(getIn(built, q))
        )
          continue;
        const inValue = translate(getIn(built, path), rest, operation.value);
        return { at: doc.locate([operation.index, 'value', ...inValue.path]) };
      }
      return undefined;
    },
  };
}

/** A JSON pointer as a document path of the built object (`-` is the item appended last). */
function resolvePointer(built: Json, pointer: string): Path | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  const path: (string | number)[] = [];
  let node: unknown = built;
  for (const raw of pointer.slice(1).split('/')) {
    const step = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = step === '-' ? node.length - 1 : /^\d+$/.test(step) ? Number(step) : -1;
      if (index < 0) return undefined;
      path.push(index);
      node = node[index];
    } else {
      path.push(step);
      node = isMap(node) ? node[step] : undefined;
    }
  }
  return path;
}
