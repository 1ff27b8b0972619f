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
  /** Where this patch wrote (or only mentions) the question's path, if it does. */
  claim(built: Json, question: Question): Answer | undefined;
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
    claim(built, question) {
      const q = question.existing;
      if (IDENTIFYING.some((p) => p.length === q.length && p.every((s, i) => s === q[i]))) return undefined;
      const found = translate(built, q, patch);
      const node = getIn(patch, found.path);
      const answer = (): Answer => ({ at: doc.locate(found.path), doc: doc.docIndex >= 0 ? doc : undefined, docPath: found.path });
      if (found.depth === q.length) {
        if (!isMap(node) && !Array.isArray(node)) return String(node) === String(getIn(built, q)) ? answer() : undefined;
        if (Array.isArray(node) && !node.some((item) => identityOf(item))) return answer(); // a list without merge key is replaced whole
        if (isMap(node) && node.$patch === 'replace') return answer();
        // A key the rule wants is missing from a map whose settings this patch writes (a securityContext): add it there.
        if (q.length < question.path.length && typeof q[q.length - 1] === 'string' && isMap(node) && writesSettings(node)) return answer();
        return { ...answer(), mention: true };
      }
      // Part of the path is inside a value this patch replaced whole (a list of scalars, a `$patch: replace` map).
      if ((Array.isArray(node) && !node.some((item) => identityOf(item))) || (isMap(node) && node.$patch === 'replace'))
        return found.path.length > 0 ? answer() : undefined;
      return undefined;
    },
  };
}

/** A map with values of its own (`privileged: true`), not just the way down to other maps (`spec: {template: …}`). */
function writesSettings(node: Json): boolean {
  return Object.entries(node).some(
    ([key, value]) => !key.startsWith('$') && !isMap(value) && (!Array.isArray(value) || !value.some((item) => identityOf(item))),
  );
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
        const path = resolvePointer(built, operation.pointer, operation.value);
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
        const at: Path = [operation.index, 'value', ...inValue.path];
        // A key missing from an item this operation added (a container): shown on the item's name, as for any item.
        const identity = q.length < question.path.length ? identityOf(getIn(operation.value, inValue.path)) : undefined;
        return { at: doc.locate(identity ? [...at, identity.key] : at) };
      }
      return undefined;
    },
  };
}

/**
 * A JSON pointer as a document path of the built object. The item an operation adds is found by its name
 * when it has one (later patches reorder lists); else `-` is the last item and an index stays as written.
 */
function resolvePointer(built: Json, pointer: string, value: unknown): Path | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  const path: (string | number)[] = [];
  let node: unknown = built;
  const steps = pointer.slice(1).split('/');
  for (const [i, raw] of steps.entries()) {
    const step = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const identity = i === steps.length - 1 ? identityOf(value) : undefined;
      const named = identity ? node.findIndex((item) => isMap(item) && String(item[identity.key]) === String(identity.value)) : -1;
      const index = named !== -1 ? named : step === '-' ? node.length - 1 : /^\d+$/.test(step) ? Number(step) : -1;
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
