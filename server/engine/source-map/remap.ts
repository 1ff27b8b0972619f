// Results on rendered text → results on the source files that wrote it (templates, values files, bases,
// patches). Shared by every renderer: each supplies a SourceMapper that knows its own sources; this module
// moves findings, related locations, fixes and problems, and keeps one finding per rule and source line
// (a template rendered three times, or a value used by two workloads, is one thing to fix).
import { LineIndex } from '../line-index';
import { commentSuppressing, findSuppressionComments, type SuppressionComment } from '../suppress';
import type { FileResult, Finding, FixOp, Path, Problem, Range, RelatedLocation, Span } from '../types';

/** A place in a source file. */
export interface SourcePlace {
  file: string;
  span: Span;
  range: Range;
  /**
   * Set when the source holds the rendered structure from `from` down as plain YAML (a values file, a
   * patch): a fix whose operations all lie under `from` applies there, under `to`, in document `docIndex`.
   */
  fix?: { docIndex: number; from: Path; to: Path };
  /** Further places the finding came through (the template line that wrote a value from a values file). */
  related?: RelatedLocation[];
}

export interface SourceMapper {
  /** Where the value at `path` of document `docIndex` of a rendered file was written; undefined: not known. */
  placeOfPath(file: string, docIndex: number, path: Path): SourcePlace | undefined;
  /** Where a line of a rendered file came from (problems, links to other objects): at least the object's source. */
  placeOfRange(file: string, range: Range): SourcePlace | undefined;
  /** A source file's text, so a `# fintech-k8s-ignore` comment above the line a finding moved to silences it. */
  sourceText?(file: string): string | undefined;
}

/**
 * Moves results on rendered files to the source files. Every file of `sourceFiles` gets a result (so an
 * editor clears what a fix removed), in that order; places outside it are added after them.
 */
export function remapResults(results: readonly FileResult[], mapper: SourceMapper, sourceFiles: readonly string[]): FileResult[] {
  const byFile = new Map<string, FileResult>();
  const resultOf = (file: string): FileResult => {
    let result = byFile.get(file);
    if (!result) byFile.set(file, (result = { file, findings: [], problems: [], objects: [] }));
    return result;
  };
  for (const file of sourceFiles) resultOf(file);
  const seen = new Set<string>();
  const suppressions = new Map<string, { lines: LineIndex; comments: Map<number, SuppressionComment> } | null>();
  const commentsOf = (file: string) => {
    let found = suppressions.get(file);
    if (found === undefined) {
      const text = mapper.sourceText?.(file);
      const lines = text === undefined ? undefined : new LineIndex(text);
      suppressions.set(file, (found = lines ? { lines, comments: findSuppressionComments(lines) } : null));
    }
    return found;
  };
  for (const rendered of results) {
    const first = mapper.placeOfRange(rendered.file, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    if (first) resultOf(first.file).objects.push(...rendered.objects);
    for (const finding of rendered.findings) {
      const moved = moveFinding(finding, mapper);
      if (!moved) continue;
      // A suppression comment in the source (a values file, a template line helm drops) silences it there.
      const source = moved.suppressed ? undefined : commentsOf(moved.file);
      const comment = source && commentSuppressing(source.comments, source.lines, moved.range.start.line, moved.ruleId);
      if (comment) moved.suppressed = { by: 'comment', reason: comment.reason };
      const key = `${moved.file}\u0000${moved.range.start.line}\u0000${moved.ruleId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      resultOf(moved.file).findings.push(moved);
    }
    for (const problem of rendered.problems) {
      const place = mapper.placeOfRange(problem.file, problem.range);
      if (!place) continue;
      const moved: Problem = { ...problem, file: place.file, span: place.span, range: place.range };
      const key = `${moved.file}\u0000${moved.range.start.line}\u0000${moved.code}\u0000${moved.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      resultOf(place.file).problems.push(moved);
    }
  }
  for (const result of byFile.values()) {
    result.findings.sort((a, b) => a.span.start - b.span.start || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
    result.problems.sort((a, b) => a.span.start - b.span.start);
  }
  return [...byFile.values()];
}

function moveFinding(finding: Finding, mapper: SourceMapper): Finding | undefined {
  const place = mapper.placeOfPath(finding.file, finding.docIndex, finding.path) ?? mapper.placeOfRange(finding.file, finding.range);
  if (!place) return undefined;
  const related = [
    ...(finding.related ?? []).flatMap((location) => {
      const source = mapper.placeOfRange(location.file, location.range);
      // A link into a file that was not rendered (another manifest of the workspace) stays as it is.
      if (!source && !isRendered(location.file, mapper)) return [location];
      return source ? [{ file: source.file, range: source.range, message: location.message }] : [];
    }),
    ...(place.related ?? []),
  ];
  const moved: Finding = {
    ...finding,
    file: place.file,
    span: place.span,
    range: place.range,
    docIndex: place.fix?.docIndex ?? 0,
    fix: finding.fix && place.fix ? retargetFix(finding.fix, place.fix.from, place.fix.to) : undefined,
  };
  if (related.length > 0) moved.related = related;
  else delete moved.related;
  if (!moved.fix) delete moved.fix;
  return moved;
}

function isRendered(file: string, mapper: SourceMapper): boolean {
  return mapper.placeOfRange(file, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }) !== undefined;
}

/** The fix with each operation's path moved from under `from` to under `to`; undefined when one lies elsewhere. */
export function retargetFix(fix: NonNullable<Finding['fix']>, from: Path, to: Path): Finding['fix'] | undefined {
  const ops: FixOp[] = [];
  for (const op of fix.ops) {
    if (op.path.length < from.length || from.some((step, i) => op.path[i] !== step)) return undefined;
    ops.push({ ...op, path: [...to, ...op.path.slice(from.length)] });
  }
  return { ...fix, ops };
}
