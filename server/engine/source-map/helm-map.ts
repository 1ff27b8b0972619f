// Where a path of an object Helm rendered was written: the template line (found in the template's YAML
// shape), the values-file line of the key that supplied the value (Helm's merge order: the last -f file
// that sets it, then the parent charts' values, then the chart's own values.yaml), the include line for
// content from a named template, and the container or object line for what the chart never writes.
import { parseDocument, type Document } from 'yaml';
import { LineIndex } from '../line-index';
import { locate, walk } from '../locate';
import { getIn } from '../objects';
import { parseSegment } from '../parse';
import type { Path, Range, RelatedLocation, Span } from '../types';
import type { SourceMapper, SourcePlace } from './remap';
import { outlineTemplate, type OutlineDocument, type OutlineNode, type TemplateAction, type ValuesRef } from './template-outline';

export interface ChartSourceFile {
  file: string;
  text: string;
}

export interface HelmChartSources {
  /** Templates by the name Helm gives them in `# Source:` and its errors ("ledger/templates/deployment.yaml"). */
  templates: ReadonlyMap<string, ChartSourceFile>;
  /**
   * Each chart and vendored subchart by its name prefix ("ledger/", "ledger/charts/postgresql/"), the key
   * path under which the top chart's values reach it (["postgresql"]) and its own values.yaml.
   */
  charts: readonly { prefix: string; keyPath: readonly string[]; values?: ChartSourceFile }[];
  /** Values files given with -f / `values:` in the settings file, in order: a later file wins. */
  userValues: readonly ChartSourceFile[];
}

/** One document of `helm template`'s output, as the engine was given it (one per virtual file). */
export interface RenderedDocument {
  /** The virtual file name the engine saw. */
  file: string;
  /** The template it came from, by Helm's name (its `# Source:` comment). */
  source: string;
  text: string;
}

const WRITTEN_HERE = 'Written by this template line';

export function helmSourceMapper(sources: HelmChartSources, documents: readonly RenderedDocument[]): SourceMapper {
  const byFile = new Map(documents.map((document) => [document.file, document]));
  const outlines = new Map<string, OutlineDocument[]>();
  const lines = new Map<string, LineIndex>();
  const valueDocs = new Map<string, Document.Parsed | null>();
  const templateDocOf = templateDocuments(documents, sources, (source) => outlineOf(source));

  function outlineOf(source: string): OutlineDocument[] | undefined {
    const template = sources.templates.get(source);
    if (!template) return undefined;
    let outline = outlines.get(source);
    if (!outline) outlines.set(source, (outline = outlineTemplate(template.text)));
    return outline;
  }
  function linesOf(file: ChartSourceFile): LineIndex {
    let index = lines.get(file.file);
    if (!index) lines.set(file.file, (index = new LineIndex(file.text)));
    return index;
  }
  function valuesDocOf(file: ChartSourceFile): Document.Parsed | null {
    let doc = valueDocs.get(file.file);
    if (doc === undefined) {
      const parsed = parseDocument(file.text);
      valueDocs.set(file.file, (doc = parsed.errors.length > 0 ? null : parsed));
    }
    return doc;
  }
  /** A place on one line of a file: from `start` to the end of that line's content. */
  function lineSpanPlace(file: ChartSourceFile, start: number, end?: number): SourcePlace {
    const index = linesOf(file);
    const position = index.positionAt(start);
    const lineEnd = index.lineStart(position.line) + index.lineText(position.line).replace(/\s+$/, '').length;
    const span: Span = { start, end: Math.max(start, Math.min(end ?? lineEnd, lineEnd)) };
    return { file: file.file, span, range: index.rangeOf(span) };
  }

  /** The values files that can supply `.Values` of a template, first the one that wins. */
  function valuesCandidates(source: string): { file: ChartSourceFile; prefix: readonly string[] }[] {
    const own = [...sources.charts].filter((chart) => source.startsWith(chart.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
    if (!own) return [];
    const candidates: { file: ChartSourceFile; prefix: readonly string[] }[] = [];
    for (let i = sources.userValues.length - 1; i >= 0; i--) candidates.push({ file: sources.userValues[i], prefix: own.keyPath });
    const ancestors = sources.charts
      .filter((chart) => own.prefix.startsWith(chart.prefix))
      .sort((a, b) => a.prefix.length - b.prefix.length);
    for (const chart of ancestors)
      if (chart.values) candidates.push({ file: chart.values, prefix: own.keyPath.slice(chart.keyPath.length) });
    return candidates;
  }

  /** The values-file line of `ref` + `rest`: the file that sets the whole path, else the one that sets `ref`. */
  function valuesPlace(source: string, ref: ValuesRef, rest: Path, exactOnly: boolean): (SourcePlace & { exact: boolean }) | undefined {
    let fallback: (SourcePlace & { exact: boolean }) | undefined;
    for (const { file, prefix } of valuesCandidates(source)) {
      const doc = valuesDocOf(file);
      if (!doc) continue;
      const base = [...prefix, ...ref];
      const full = [...base, ...rest];
      const reached = walk(doc, full);
      if (reached.depth < base.length) continue;
      const located = locate(doc, full);
      const place = { ...lineSpanPlace(file, located.start, located.end), exact: reached.depth === full.length };
      place.fix = { docIndex: 0, from: [], to: base };
      if (place.exact) return place;
      fallback ??= place;
    }
    return exactOnly ? undefined : fallback;
  }

  function placeOfPath(file: string, docIndex: number, path: Path): SourcePlace | undefined {
    const rendered = byFile.get(file);
    if (!rendered || docIndex !== 0) return undefined;
    const template = sources.templates.get(rendered.source);
    const outline = outlineOf(rendered.source);
    if (!template || !outline) return undefined;
    const templateDoc = templateDocOf(rendered);
    const doc = outline[templateDoc];
    if (!doc) return undefined;
    const renderedValue = lazy(() => parseSegment(rendered.text).value);
    const { node, depth, approximate, itemsBefore } = follow(doc.root, path, renderedValue);
    // Items from values follow the ones the template writes: the n-th extra is item n - written of the values list.
    const rest = path.slice(depth).map((step, i) => (i === 0 && itemsBefore && typeof step === 'number' ? step - itemsBefore : step));
    const templateLine = (at: OutlineNode | TemplateAction): SourcePlace => {
      const place = lineSpanPlace(template, at.start, 'end' in at && !('key' in at) ? at.end : undefined);
      if (!approximate && 'key' in at && rest.length === 0) place.fix = { docIndex: templateDoc, from: [], to: [] };
      return place;
    };
    const throughValues = (ref: ValuesRef, restPath: Path, via: OutlineNode | TemplateAction, exactOnly: boolean) => {
      const place = valuesPlace(rendered.source, ref, restPath, exactOnly);
      if (!place) return undefined;
      if (place.fix)
        place.fix =
          itemsBefore && restPath.length > 0
            ? { ...place.fix, from: path.slice(0, depth + 1), to: [...place.fix.to, restPath[0]] }
            : { ...place.fix, from: path.slice(0, depth) };
      const writer = lineSpanPlace(template, via.start, 'key' in via ? undefined : via.end);
      const related: RelatedLocation = { file: template.file, range: writer.range, message: WRITTEN_HERE };
      return { file: place.file, span: place.span, range: place.range, fix: place.fix, related: [related] } satisfies SourcePlace;
    };

    // The value is written on the template line: from values when the line reads them, else literally.
    if (rest.length === 0 && node.valueRefs.length > 0) {
      const ref = pickRef(node.valueRefs, (r) => valuesPlace(rendered.source, r, [], false) !== undefined);
      return (ref && throughValues(ref, [], node, false)) ?? templateLine(node);
    }
    if (rest.length === 0 && node.actions.length === 0 && !node.valueInclude) return templateLine(node);
    // The block as a whole (its labels, its securityContext): values only when one values key writes it all.
    if (rest.length === 0 && node.key !== undefined && (node.actions.length > 1 || node.actions.some((action) => action.include)))
      return templateLine(node);
    // Written by an action into this node's block (or its inline value): a values key, or an include.
    const actions: TemplateAction[] = [...node.actions];
    if (node.valueRefs.length > 0 || node.valueInclude)
      actions.push({ line: node.line, start: node.start, end: node.end, include: node.valueInclude, values: node.valueRefs });
    for (const action of actions)
      for (const ref of action.values) {
        const place = throughValues(ref, rest, action, true);
        if (place) return place;
      }
    const include = actions.find((action) => action.include);
    if (include) return lineSpanPlace(template, include.start, include.end);
    for (const action of actions)
      for (const ref of action.values) {
        const place = throughValues(ref, rest, action, false);
        if (place) return place;
      }
    // Nothing writes it: a default the chart never sets, on the container or object line.
    return templateLine(node);
  }

  function placeOfRange(file: string, range: Range): SourcePlace | undefined {
    const rendered = byFile.get(file);
    if (!rendered) return undefined;
    const template = sources.templates.get(rendered.source);
    const outline = outlineOf(rendered.source);
    if (!template || !outline) return undefined;
    const doc = outline[templateDocOf(rendered)] ?? outline[0];
    // The rendered line's key, when the template writes it literally; else the object's kind line.
    const renderedLine = rendered.text.split('\n')[range.start.line] ?? '';
    const key = /^\s*(?:-\s+)?([^\s:#][^:#]*?)\s*:/.exec(renderedLine)?.[1];
    const byKey = key ? findEntry(doc.root, key) : undefined;
    const anchor = byKey ?? doc.root.entries.find((entry) => entry.key === 'kind') ?? doc.root.entries[0];
    if (!anchor) return lineSpanPlace(template, doc.start, doc.start);
    return lineSpanPlace(template, anchor.start);
  }

  function sourceText(file: string): string | undefined {
    for (const template of sources.templates.values()) if (template.file === file) return template.text;
    for (const chart of sources.charts) if (chart.values?.file === file) return chart.values.text;
    return sources.userValues.find((values) => values.file === file)?.text;
  }

  return { placeOfPath, placeOfRange, sourceText };
}

/** Follows a rendered path through the template's outline as far as the template writes it literally. */
function follow(
  root: OutlineNode,
  path: Path,
  renderedValue: () => unknown,
): { node: OutlineNode; depth: number; approximate: boolean; itemsBefore?: number } {
  let node = root;
  let approximate = false;
  for (let depth = 0; depth < path.length; depth++) {
    const step = path[depth];
    let next: OutlineNode | undefined;
    if (typeof step === 'number') {
      if (node.items.length === 0) return { node, depth, approximate };
      const name = (getIn(renderedValue(), [...path.slice(0, depth + 1), 'name']) as unknown) ?? undefined;
      next = typeof name === 'string' ? node.items.find((item) => literalName(item) === name) : undefined;
      // Items the template writes come first; values-driven extras (`toYaml .Values.extraContainers`) follow them.
      if (!next && step < node.items.length) next = node.items[step];
      if (!next) {
        // More rendered items than the template writes: a `range` loop (one item written many times), or
        // items from values beside the written ones.
        if (node.actions.some((action) => action.values.length > 0 || action.include))
          return { node, depth, approximate, itemsBefore: node.items.length };
        next = node.items[node.items.length - 1];
        approximate = true;
      }
    } else {
      next = node.entries.find((entry) => entry.key === step);
    }
    if (!next) return { node, depth, approximate };
    node = next;
  }
  return { node, depth: path.length, approximate };
}

function literalName(item: OutlineNode): string | undefined {
  const name = item.entries.find((entry) => entry.key === 'name');
  if (!name || name.value.includes('{{')) return undefined;
  return name.value.replace(/^["']|["']$/g, '').replace(/\s+#.*$/, '');
}

function findEntry(node: OutlineNode, key: string): OutlineNode | undefined {
  for (const entry of node.entries) {
    if (entry.key === key) return entry;
    const found = findEntry(entry, key);
    if (found) return found;
  }
  for (const item of node.items) {
    const found = findEntry(item, key);
    if (found) return found;
  }
  return undefined;
}

/**
 * Of the values a scalar is built from (`{{ .Values.image.repository }}:{{ .Values.image.tag }}`), the last
 * one a values file sets: the most specific part, and the one people change.
 */
function pickRef(refs: readonly ValuesRef[], exists: (ref: ValuesRef) => boolean): ValuesRef | undefined {
  const present = refs.filter(exists);
  return present[present.length - 1];
}

/**
 * Which document of its template each rendered document came from: a template of several documents is
 * matched by kind (the n-th rendered Service to the n-th Service the template writes), else by order.
 */
function templateDocuments(
  documents: readonly RenderedDocument[],
  sources: HelmChartSources,
  outlineOf: (source: string) => OutlineDocument[] | undefined,
): (document: RenderedDocument) => number {
  const chosen = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const document of documents) {
    const outline = outlineOf(document.source);
    if (!outline || !sources.templates.has(document.source)) continue;
    const order = seen.get(document.source) ?? 0;
    seen.set(document.source, order + 1);
    if (outline.length <= 1) {
      chosen.set(document.file, 0);
      continue;
    }
    const kind = /^kind:\s*["']?([\w.-]+)/m.exec(document.text)?.[1];
    const sameKind = outline.flatMap((doc, index) => (kindOf(doc) === kind ? [index] : []));
    const nthOfKind = documents
      .slice(0, documents.indexOf(document))
      .filter((d) => d.source === document.source && /^kind:\s*["']?([\w.-]+)/m.exec(d.text)?.[1] === kind).length;
    chosen.set(
      document.file,
      sameKind.length > 0 ? sameKind[Math.min(nthOfKind, sameKind.length - 1)] : Math.min(order, outline.length - 1),
    );
  }
  return (document) => chosen.get(document.file) ?? 0;
}

function kindOf(doc: OutlineDocument): string | undefined {
  const kind = doc.root.entries.find((entry) => entry.key === 'kind');
  return kind?.value.replace(/^["']|["']$/g, '').trim();
}

function lazy<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}
