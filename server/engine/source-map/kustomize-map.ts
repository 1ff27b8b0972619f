// Findings on what `kustomize build` printed → findings on the base, patch or kustomization line that wrote
// the field. Pure: the build output, the graph of kustomizations and the source texts come from the caller.
import { parseDocument, isMap as isYamlMap, isSeq, isScalar, type Node } from 'yaml';
import type { SourceFile } from '../engine';
import { LineIndex } from '../line-index';
import { getIn } from '../objects';
import { commentSuppressing, findSuppressionComments, type SuppressionComment } from '../suppress';
import type { FileResult, Finding, Fix, Path, Problem, Range, RelatedLocation } from '../types';
import type { KustomizeGraph, ReadText } from './kustomize-graph';
import type { BuildOutput } from './kustomize-output';
import { Provenance, type Answer } from './kustomize-provenance';
import type { SourceDoc } from './source-doc';
import { translatePath } from './translate-path';

export interface KustomizeBuild {
  graph: KustomizeGraph;
  output: BuildOutput;
  /** Reads the source files as the build saw them (unsaved buffers first). */
  read: ReadText;
  /** Prefix of the names of the built objects handed to the engine (one file each); never shown. */
  renderedFile: string;
}

export interface MappedBuild {
  files: SourceFile[];
  toSources(results: readonly FileResult[]): FileResult[];
}

export function mapKustomizeBuild(build: KustomizeBuild): MappedBuild {
  return {
    // One file per object: a file-wide skip of the engine (size, `{{`) then costs that object only.
    files: build.output.docs.map((doc, index) => ({ file: renderedName(build.renderedFile, index), text: doc.text })),
    toSources: (results) => new SourceMapper(build).map(results),
  };
}

class SourceMapper {
  private readonly provenances = new Map<number, Provenance>();
  private readonly docsCache = new Map<string, SourceDoc[]>();
  private readonly lines = new Map<string, LineIndex>();
  private readonly comments = new Map<string, Map<number, SuppressionComment>>();

  constructor(private readonly build: KustomizeBuild) {}

  map(results: readonly FileResult[]): FileResult[] {
    const byFile = new Map<string, FileResult>();
    const resultFor = (file: string): FileResult => {
      let result = byFile.get(file);
      if (!result) byFile.set(file, (result = { file, findings: [], problems: [], objects: [] }));
      return result;
    };
    for (const input of this.build.graph.inputs) resultFor(input);
    const rootFile = this.build.graph.root.k.file;
    for (const result of results) {
      const docIndex = this.docIndexOf(result.file);
      if (docIndex === undefined) {
        const target = resultFor(result.file);
        target.findings.push(...result.findings);
        target.problems.push(...result.problems);
        target.objects.push(...result.objects);
        continue;
      }
      const seen = new Set<string>();
      for (const finding of result.findings) {
        const mapped = this.mapFinding(finding, docIndex);
        const key = `${mapped.file}\u0000${mapped.span.start}\u0000${mapped.span.end}\u0000${mapped.ruleId}`;
        if (seen.has(key)) continue; // the same base line reached twice in one build
        seen.add(key);
        resultFor(mapped.file).findings.push(mapped);
      }
      for (const problem of result.problems) resultFor(rootFile).problems.push(this.onRoot(problem));
      resultFor(this.objectFile(docIndex)).objects.push(...result.objects);
    }
    for (const result of byFile.values()) result.findings.sort((a, b) => a.span.start - b.span.start || (a.ruleId < b.ruleId ? -1 : 1));
    return [...byFile.values()];
  }

  private provenance(docIndex: number): Provenance | undefined {
    let provenance = this.provenances.get(docIndex);
    const built = this.build.output.docs[docIndex];
    if (!provenance && built) {
      provenance = new Provenance(built, this.build.graph, this.build.read, this.docsCache);
      this.provenances.set(docIndex, provenance);
    }
    return provenance;
  }

  private answer(docIndex: number, path: Path, ruleId: string): Answer {
    const provenance = this.provenance(docIndex);
    const built = this.build.output.docs[docIndex]?.value;
    const answer = provenance?.answer({ path, existing: existingPrefix(built, path), ruleId });
    if (answer) return answer;
    // Nothing we can place (an origin kustomize did not record): the root kustomization.
    return { at: { file: this.build.graph.root.k.file, span: { start: 0, end: 0 }, exact: false } };
  }

  private docIndexOf(file: string): number | undefined {
    const prefix = `${this.build.renderedFile}#`;
    if (!file.startsWith(prefix)) return undefined;
    const index = Number(file.slice(prefix.length));
    return Number.isInteger(index) && this.build.output.docs[index] ? index : undefined;
  }

  private mapFinding(finding: Finding, docIndex: number): Finding {
    const answer = this.answer(docIndex, finding.path, finding.ruleId);
    const { file, span } = answer.at;
    const range = this.linesOf(file).rangeOf(span);
    const mapped: Finding = {
      ...finding,
      file,
      span,
      range,
      path: answer.docPath ?? finding.path,
      docIndex: answer.doc?.docIndex ?? 0,
      fix: finding.fix && this.mapFix(finding, docIndex, answer),
      related: finding.related?.map((r) => this.mapRelated(r)),
    };
    if (!mapped.fix) delete mapped.fix;
    if (!mapped.related) delete mapped.related;
    if (!mapped.suppressed) {
      const comment = commentSuppressing(this.commentsOf(file), this.linesOf(file), range.start.line, finding.ruleId);
      if (comment) mapped.suppressed = { by: 'comment', reason: comment.reason };
      else delete mapped.suppressed;
    }
    return mapped;
  }

  /** A fix carries over when every path it edits is written by the document the finding now points at. */
  private mapFix(finding: Finding, docIndex: number, answer: Answer): Fix | undefined {
    const doc = answer.doc;
    const built = this.build.output.docs[docIndex]?.value;
    if (!doc || !finding.fix || !built) return undefined;
    const ops = [];
    for (const op of finding.fix.ops) {
      const owner = this.answer(docIndex, op.path, finding.ruleId);
      if (owner.doc !== doc) return undefined;
      ops.push({ ...op, path: translatePath(built, op.path, doc.value) });
    }
    return { ...finding.fix, ops };
  }

  private mapRelated(related: RelatedLocation): RelatedLocation {
    const index = this.docIndexOf(related.file);
    if (index === undefined) return related;
    const text = this.build.output.docs[index].text;
    const path = pathAtOffset(text, new LineIndex(text).offsetAt(related.range.start));
    const answer = this.answer(index, path, '');
    return { ...related, file: answer.at.file, range: this.linesOf(answer.at.file).rangeOf(answer.at.span) };
  }

  private onRoot(problem: Problem): Problem {
    const file = this.build.graph.root.k.file;
    const origin: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { ...problem, file, span: { start: 0, end: 0 }, range: origin };
  }

  private objectFile(docIndex: number): string {
    const provenance = this.provenance(docIndex);
    return provenance?.base?.file ?? provenance?.generators.at(-1)?.k.file ?? this.build.graph.root.k.file;
  }

  private linesOf(file: string): LineIndex {
    let lines = this.lines.get(file);
    if (!lines) this.lines.set(file, (lines = new LineIndex(this.build.read(file) ?? '')));
    return lines;
  }

  private commentsOf(file: string): Map<number, SuppressionComment> {
    let comments = this.comments.get(file);
    if (!comments) this.comments.set(file, (comments = findSuppressionComments(this.linesOf(file))));
    return comments;
  }
}

function renderedName(prefix: string, index: number): string {
  return `${prefix}#${index}`;
}

/** The longest prefix of path that exists in value. */
export function existingPrefix(value: unknown, path: Path): Path {
  let depth = path.length;
  while (depth > 0 && getIn(value, path.slice(0, depth)) === undefined) depth--;
  return path.slice(0, depth);
}

/** The document path of the deepest node at offset (a related location points at a key or value). */
export function pathAtOffset(text: string, offset: number): Path {
  const doc = parseDocument(text);
  const path: (string | number)[] = [];
  let node = doc.contents as Node | null;
  for (;;) {
    if (isYamlMap(node)) {
      const pair = node.items.find((p) => {
        const start = (p.key as Node | null)?.range?.[0] ?? Infinity;
        const end = (p.value as Node | null)?.range?.[1] ?? (p.key as Node | null)?.range?.[1] ?? -1;
        return start <= offset && offset <= end;
      });
      if (!pair) break;
      path.push(String(isScalar(pair.key) ? pair.key.value : pair.key));
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => {
        const range = (item as Node | null)?.range;
        return !!range && range[0] <= offset && offset <= range[1];
      });
      if (index === -1) break;
      path.push(index);
      node = node.items[index] as Node | null;
    } else break;
  }
  return path;
}
