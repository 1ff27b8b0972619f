// Where each field of a built object was written: the base resource document, a patch, or a kustomization
// entry. Kustomize's origin annotation names the resource file (or generator); the kustomizations between
// it and the root are replayed in kustomize's own order, and the last step that wrote a path owns it.
import { asArray, asMap, asString, getIn, isMap, type Json } from '../objects';
import type { Path } from '../types';
import type { KustomizeGraph, KustomizeNode, ReadText } from './kustomize-graph';
import type { GeneratorEntry, Kustomization, LabelEntry, PatchEntry, PatchTarget } from './kustomization';
import type { BuiltDoc } from './kustomize-output';
import { sourceDocsOf, type SourceDoc, type SourceSpan } from './source-doc';
import { patchesOf } from './kustomize-patches';
import { scanText } from '../rules/secrets/detect';
import { translate, translatePath } from './translate-path';

/** What a question about one finding path needs. */
export interface Question {
  /** The finding's path in the built object. */
  path: Path;
  /** Its deepest prefix that exists in the built object. */
  existing: Path;
  ruleId: string;
}

/** Who wrote a path: where to show it, and the document a fix can be applied to (same structure). */
export interface Answer {
  at: SourceSpan;
  /** Set when the answer is a resource document whose paths mirror the object's (a fix applies there). */
  doc?: SourceDoc;
  docPath?: Path;
  /** The step names the path (a container a patch adds env to) without writing it whole. */
  mention?: boolean;
}

type Step = (question: Question) => Answer | undefined;

interface Level {
  node: KustomizeNode;
  /** How the object entered this kustomization: as one of its resources (or generated here), or from its i-th component. */
  fromComponent?: number;
}

export class Provenance {
  readonly steps: Step[] = [];
  /** The resource document the object was read from. */
  readonly base?: SourceDoc;
  readonly generators: { k: Kustomization; entry: GeneratorEntry }[] = [];
  /** The object's names from its definition to the root, for matching patch targets. */
  private readonly names = new Set<string>();
  /** The name at the step being replayed. */
  private current = '';

  constructor(
    readonly built: BuiltDoc,
    graph: KustomizeGraph,
    private readonly read: ReadText,
    private readonly docsCache: Map<string, SourceDoc[]>,
  ) {
    const origin = built.origin;
    const kind = asString(built.value.kind) ?? '';
    const builtName = asString(asMap(built.value.metadata)?.name) ?? '';
    let chain: Level[] | undefined;
    if (origin?.path) {
      const chains = chainsTo(graph.root, (node) => node.resources.some((r) => r.kind === 'file' && r.ref.path === origin.path));
      chain = pickChain(chains, built);
      const resource = chain?.[0].node.resources.find((r) => r.kind === 'file' && r.ref.path === origin.path);
      if (resource?.kind === 'file') this.base = documentFor(resource.docs, kind, builtName);
      this.current = asString(asMap(asMap(this.base?.value)?.metadata)?.name) ?? builtName;
    } else if (origin?.configuredIn && /Generator$/.test(origin.configuredBy?.kind ?? '')) {
      const generatorKind = origin.configuredBy!.kind === 'SecretGenerator' ? 'Secret' : 'ConfigMap';
      const chains = chainsTo(graph.root, (node) => node.k.file === origin.configuredIn);
      chain = pickChain(chains, built);
      const generated = chain?.[0].node.k.generators.find((g) => g.kind === generatorKind && builtName.includes(g.name));
      if (generated) {
        this.current = generated.name;
        // Generators of the same name in outer kustomizations (behavior: merge / replace) add or change keys.
        for (const level of chain!)
          for (const entry of level.node.k.generators)
            if (entry.kind === generatorKind && entry.name === generated.name) this.generators.push({ k: level.node.k, entry });
      }
    }
    if (!chain) return;
    this.names.add(this.current);
    for (const level of chain) {
      const { node } = level;
      for (const component of node.components.slice(level.fromComponent === undefined ? 0 : level.fromComponent + 1))
        this.applyComponent(component.node);
      this.addTransformers(node.k);
    }
    this.names.add(builtName);
  }

  /** The step that wrote the path last, else the base document (or the generator entry). */
  answer(question: Question): Answer | undefined {
    // A step that only mentions a container or a map (a patch adding env to it) did not write it: the
    // first step that mentions it created it, unless the base document already had it.
    let firstMention: Answer | undefined;
    for (let i = this.steps.length - 1; i >= 0; i--) {
      const answer = this.steps[i](question);
      if (answer && !answer.mention) return answer;
      if (answer) firstMention = answer;
    }
    const generated = this.generatorAnswer(question);
    if (generated) return generated;
    if (firstMention && !this.baseHas(question.existing)) return firstMention;
    if (!this.base) return firstMention;
    const translated = translatePath(this.built.value, question.path, this.base.value);
    return { at: this.base.locate(translated), doc: this.base, docPath: translated };
  }

  /** True when the base document writes the path itself (so a step that only mentions it did not create it). */
  private baseHas(path: Path): boolean {
    return !!this.base && translate(this.built.value, path, this.base.value).depth === path.length;
  }

  private applyComponent(component: KustomizeNode): void {
    for (const inner of component.components) this.applyComponent(inner.node);
    this.addTransformers(component.k);
  }

  /** kustomize's built-in transformer order within one kustomization. */
  private addTransformers(k: Kustomization): void {
    const patches = k.patches.filter((p) => p.field === 'patchesStrategicMerge');
    const rest = k.patches.filter((p) => p.field === 'patches');
    for (const entry of [...patches, ...rest]) this.addPatch(k, entry);
    if (k.namespace !== undefined) this.steps.push(this.namespaceStep(k));
    this.current = `${k.namePrefix ?? ''}${this.current}${k.nameSuffix ?? ''}`;
    this.names.add(this.current);
    for (const entry of k.labels) this.steps.push(this.labelStep(k, entry));
    if (k.annotations) this.steps.push(this.annotationStep(k, k.annotations));
    for (const entry of k.patches.filter((p) => p.field === 'patchesJson6902')) this.addPatch(k, entry);
    for (const entry of k.replicas) {
      if (!this.names.has(entry.name)) continue;
      this.steps.push((q) =>
        samePath(q.existing, ['spec', 'replicas']) && String(getIn(this.built.value, q.existing)) === String(entry.count)
          ? { at: k.doc.locate([...entry.at, 'count']) }
          : undefined,
      );
    }
    if (k.images.length > 0) this.steps.push(this.imageStep(k));
    for (const entry of k.replacements) this.addReplacements(k, entry);
  }

  /** A field a replacement copies into this object is shown on that target's `fieldPaths` line. */
  private addReplacements(k: Kustomization, entry: { at: Path; file?: { path?: string } }): void {
    const sources: { doc: SourceDoc; at: Path; value: unknown }[] = [];
    if (entry.file?.path)
      for (const doc of this.docsOf(entry.file.path)) {
        const value = doc.value;
        if (Array.isArray(value)) value.forEach((item, i) => sources.push({ doc, at: [i], value: item }));
        else sources.push({ doc, at: [], value });
      }
    else sources.push({ doc: k.doc, at: entry.at, value: getIn(k.value, entry.at) });
    for (const { doc, at, value } of sources) {
      asArray(asMap(value)?.targets).forEach((rawTarget, j) => {
        const target = asMap(rawTarget);
        const select = asMap(target?.select) as PatchTarget | undefined;
        if (!target || !select || !this.targets(select, false)) return;
        asArray(target.fieldPaths).forEach((fieldPath, m) => {
          const written = asString(fieldPath);
          this.steps.push((q) => {
            const path = written === undefined ? undefined : fieldPathIn(this.built.value, written);
            return path && samePath(path, q.existing) ? { at: doc.locate([...at, 'targets', j, 'fieldPaths', m]) } : undefined;
          });
        });
      });
    }
  }

  private addPatch(k: Kustomization, entry: PatchEntry): void {
    const docs = entry.file ? this.docsOf(entry.file.path!) : k.doc.inline(entry.inlineAt!);
    for (const patch of patchesOf(docs, entry)) {
      if (!this.targets(patch.target, patch.kind === 'smp' && !entry.target)) continue;
      this.steps.push((q) => patch.claim(this.built.value, q));
    }
  }

  private docsOf(file: string): SourceDoc[] {
    let docs = this.docsCache.get(file);
    if (!docs) {
      docs = sourceDocsOf(file, this.read(file) ?? '');
      this.docsCache.set(file, docs);
    }
    return docs;
  }

  /** Whether a patch (by its target, or by its own kind and name) applies to this object. */
  private targets(target: PatchTarget | undefined, byOwnId: boolean): boolean {
    if (!target) return true;
    const value = this.built.value;
    const metadata = asMap(value.metadata) ?? {};
    if (target.kind && target.kind !== value.kind) return false;
    const group = (asString(value.apiVersion) ?? '').includes('/') ? asString(value.apiVersion)!.split('/')[0] : '';
    if (target.group !== undefined && !byOwnId && target.group !== group) return false;
    if (target.name) {
      const pattern = byOwnId ? undefined : anchored(target.name);
      const names = [...this.names];
      if (!names.some((name) => (pattern ? pattern.test(name) : name === target.name))) return false;
    }
    if (target.namespace && metadata.namespace !== undefined && !anchored(target.namespace)?.test(String(metadata.namespace))) return false;
    if (target.labelSelector && !selects(target.labelSelector, asMap(metadata.labels) ?? {})) return false;
    if (target.annotationSelector && !selects(target.annotationSelector, asMap(metadata.annotations) ?? {})) return false;
    return true;
  }

  private namespaceStep(k: Kustomization): Step {
    return (q) =>
      samePath(q.existing, ['metadata', 'namespace']) && asMap(this.built.value.metadata)?.namespace === k.namespace
        ? { at: k.doc.locate(['namespace']) }
        : undefined;
  }

  private labelStep(k: Kustomization, entry: LabelEntry): Step {
    return (q) => {
      const p = q.existing;
      const key = p[p.length - 1];
      if (typeof key === 'string' && key in entry.pairs && String(getIn(this.built.value, p)) === entry.pairs[key]) {
        const holder = p.slice(0, -1);
        if (labelHolder(holder, entry)) return { at: k.doc.locate([...entry.at, key]) };
      }
      // A label the rule wants but that is missing, in a labels map this entry created.
      if (p.length < q.path.length && labelHolder(p, entry) && !this.baseHas(p)) return { at: k.doc.locate(entry.at) };
      return undefined;
    };
  }

  private annotationStep(k: Kustomization, annotations: { pairs: Record<string, string>; at: Path }): Step {
    return (q) => {
      const p = q.existing;
      const key = p[p.length - 1];
      const holder = p.slice(0, -1);
      const isAnnotations = holder[holder.length - 1] === 'annotations';
      if (
        isAnnotations &&
        typeof key === 'string' &&
        key in annotations.pairs &&
        String(getIn(this.built.value, p)) === annotations.pairs[key]
      )
        return { at: k.doc.locate([...annotations.at, key]) };
      return undefined;
    };
  }

  private imageStep(k: Kustomization): Step {
    return (q) => {
      const p = q.existing;
      if (p[p.length - 1] !== 'image' || !/^(containers|initContainers|ephemeralContainers)$/.test(String(p[p.length - 3])))
        return undefined;
      const image = asString(getIn(this.built.value, p));
      if (!image) return undefined;
      const { name, tag, digest } = splitImage(image);
      for (let i = k.images.length - 1; i >= 0; i--) {
        const entry = k.images[i];
        if (name !== (entry.newName ?? entry.name)) continue;
        if (entry.newTag !== undefined && tag !== entry.newTag && digest === undefined) continue;
        if (entry.digest !== undefined && digest !== entry.digest) continue;
        const registryRule = q.ruleId === 'trusted-registry';
        const field =
          registryRule && entry.newName !== undefined
            ? 'newName'
            : entry.newTag !== undefined
              ? 'newTag'
              : entry.digest !== undefined
                ? 'digest'
                : entry.newName !== undefined
                  ? 'newName'
                  : 'name';
        return { at: k.doc.locate([...entry.at, field]) };
      }
      return undefined;
    };
  }

  /** Generated objects: data keys on their literal or env-file line; anything else on the generator's name. */
  private generatorAnswer(q: Question): Answer | undefined {
    if (this.generators.length === 0) return undefined;
    const [field, key] = q.path;
    if ((field === 'data' || field === 'binaryData') && typeof key === 'string') {
      for (let i = this.generators.length - 1; i >= 0; i--) {
        const { k, entry } = this.generators[i];
        const literal = entry.literals.find((l) => l.key === key);
        if (literal) return { at: k.doc.locate(literal.at) };
        const file = entry.files.find((f) => f.key === key);
        if (file) return { at: credentialLine(file.ref.path!, this.read(file.ref.path!) ?? '') };
        for (const env of entry.envs) {
          const text = this.read(env.path!) ?? '';
          const at = fileLine(env.path!, text, key);
          if (at) return { at };
        }
      }
    }
    const { k, entry } = this.generators[this.generators.length - 1];
    return { at: k.doc.locate([...entry.at, 'name']) };
  }
}

/** Every path from the root down to a kustomization that `holds` the object, innermost level first. */
function chainsTo(root: KustomizeNode, holds: (node: KustomizeNode) => boolean): Level[][] {
  const chains: Level[][] = [];
  // `outer` runs from the root inwards; each entry says how the next node was reached from it.
  const visit = (node: KustomizeNode, outer: Level[], seen: Set<KustomizeNode>) => {
    if (seen.has(node)) return;
    const inner = new Set(seen).add(node);
    if (holds(node)) chains.push([{ node }, ...[...outer].reverse()]);
    for (const r of node.resources) if (r.kind === 'dir') visit(r.node, [...outer, { node }], inner);
    node.components.forEach((c, i) => visit(c.node, [...outer, { node, fromComponent: i }], inner));
  };
  visit(root, [], new Set());
  return chains;
}

/** With several ways to the same file, the one whose kustomizations kustomize says transformed the object. */
function pickChain(chains: Level[][], built: BuiltDoc): Level[] | undefined {
  if (chains.length <= 1) return chains[0];
  let best = chains[0];
  let bestScore = -1;
  for (const chain of chains) {
    const score = chain.filter((level) => built.transformedIn.includes(level.node.k.file)).length;
    if (score > bestScore) [best, bestScore] = [chain, score];
  }
  return best;
}

/** The document of a resource file that defines this object (same kind, and a name the built one contains). */
function documentFor(docs: SourceDoc[], kind: string, builtName: string): SourceDoc | undefined {
  const candidates = docs.filter((d) => asString(asMap(d.value)?.kind) === kind);
  if (candidates.length <= 1) return candidates[0] ?? docs[0];
  const named = (d: SourceDoc) => asString(asMap(asMap(d.value)?.metadata)?.name) ?? '';
  return (
    candidates.find((d) => named(d) === builtName) ?? candidates.find((d) => named(d) && builtName.includes(named(d))) ?? candidates[0]
  );
}

function labelHolder(holder: Path, entry: LabelEntry): boolean {
  if (samePath(holder, ['metadata', 'labels'])) return true;
  const last = holder[holder.length - 1];
  if (last === 'labels' && holder[holder.length - 2] === 'metadata') return entry.includeTemplates;
  if (last === 'matchLabels' || (last === 'selector' && holder.length === 2)) return entry.includeSelectors;
  return false;
}

/** A replacement's field path (`spec.template.spec.containers.[name=app].image`) in the built object. */
function fieldPathIn(value: Json, fieldPath: string): Path | undefined {
  const path: (string | number)[] = [];
  let node: unknown = value;
  for (const segment of fieldPath.match(/\[[^\]]*\]|[^.[\]]+/g) ?? []) {
    const selector = /^\[([^=\]]+)=([^\]]*)\]$/.exec(segment);
    if (selector) {
      if (!Array.isArray(node)) return undefined;
      const index = node.findIndex((item) => isMap(item) && String(item[selector[1]]) === selector[2]);
      if (index === -1) return undefined;
      path.push(index);
      node = node[index];
    } else if (Array.isArray(node) && /^\d+$/.test(segment)) {
      path.push(Number(segment));
      node = node[Number(segment)];
    } else {
      const key = segment.replace(/^\[|\]$/g, '');
      path.push(key);
      node = isMap(node) ? node[key] : undefined;
    }
  }
  return path;
}

export function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((step, i) => step === b[i]);
}

function anchored(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return undefined;
  }
}

/** Label selectors as kustomize targets write them: `a=b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`. */
export function selects(selector: string, labels: Json): boolean {
  const terms = selector.match(/[^,(]+(?:\([^)]*\))?/g) ?? [];
  return terms.every((raw) => {
    const term = raw.trim();
    if (term === '') return true;
    let m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (m) return m[2] === '!=' ? labels[m[1]] !== m[3] : labels[m[1]] === m[3];
    m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (m) {
      const values = m[3].split(',').map((v) => v.trim());
      const has = m[1] in labels && values.includes(String(labels[m[1]]));
      return m[2] === 'in' ? has : !has;
    }
    if (term.startsWith('!')) return !(term.slice(1).trim() in labels);
    return term in labels;
  });
}

/** name, tag and digest of an image reference (`registry:5000/a/b:1.2@sha256:…`). */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at === -1 ? undefined : image.slice(at + 1);
  const rest = at === -1 ? image : image.slice(0, at);
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}

/** The `KEY=value` line of an env file. */
function fileLine(file: string, text: string, key: string): SourceSpan | undefined {
  let offset = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    const eq = trimmed.indexOf('=');
    if (eq > 0 && !trimmed.startsWith('#') && trimmed.slice(0, eq).trim() === key) {
      const start = offset + (line.length - line.trimStart().length);
      return { file, span: { start, end: start + line.trim().length }, exact: true };
    }
    offset += line.length + 1;
  }
  return undefined;
}

/** A file read whole into one key: the first line the secrets detectors find a credential on, else its start. */
function credentialLine(file: string, text: string): SourceSpan {
  let offset = 0;
  for (const line of text.split('\n')) {
    if (line.trim() !== '' && scanText(line).length > 0) {
      const start = offset + (line.length - line.trimStart().length);
      return { file, span: { start, end: offset + line.trimEnd().length }, exact: true };
    }
    offset += line.length + 1;
  }
  return { file, span: { start: 0, end: 0 }, exact: false };
}
