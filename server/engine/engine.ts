// analyze(files, options) → findings per file (analyzeText for one, analyzeEach streaming). Text in,
// findings out: the CLI, the language server and the deploy gate all run this one engine.
import { DEFAULT_CONFIG } from './config';
import { LineIndex } from './line-index';
import { isPlainScalarAt, locate } from './locate';
import { getIn, objectsOfDocument } from './objects';
import { parseSegment, splitDocuments, type ParsedSegment, type Segment } from './parse';
import { RelatedLocator } from './related';
import { partSpan } from './value-part';
import { annotationSuppressing, commentSuppressing, findSuppressionComments, type SuppressionComment } from './suppress';
import {
  atLeast,
  type FileResult,
  type Finding,
  type K8sObject,
  type ObjectRef,
  type Problem,
  type ResolvedConfig,
  type Rule,
  type RuleContext,
  type Severity,
  type Span,
} from './types';
import { ObjectIndex, type ContextIndex } from './workspace';
import { ALL_RULES } from './rules';
import { SUPPRESSION_WITHOUT_REASON } from './rules/meta/suppression-without-reason';
import { UNKNOWN_RULE_IN_SUPPRESSION } from './rules/meta/unknown-rule-in-suppression';
import { RELATED_PER_FINDING } from './rules/list-some';

export interface SourceFile {
  file: string;
  text: string;
}

export interface AnalyzeOptions {
  config?: ResolvedConfig;
  rules?: readonly Rule[];
  /** Parses one document's text; the language server passes a cache here. */
  parse?: (text: string) => ParsedSegment;
  /** Objects from files not being analysed that rules may still consult (other workspace files). */
  contextObjects?: readonly K8sObject[];
  /** The same, indexed once and reused across analyses (the language server); wins over contextObjects. */
  context?: ContextIndex;
  /** Reads a file context objects came from, so findings point at the exact key there (else at the object's name). */
  readContextFile?: (file: string) => string | undefined;
}

interface PreparedFile {
  source: SourceFile;
  lines: LineIndex;
  segments: Segment[];
  parsed: ParsedSegment[];
  objects: K8sObject[];
  problems: Problem[];
}

export function analyze(files: readonly SourceFile[], options: AnalyzeOptions = {}): FileResult[] {
  const results: FileResult[] = [];
  analyzeEach(files, options, (result) => results.push(result));
  return results;
}

/**
 * Parses every file first (rules may look across files), then checks and hands over one file at a time,
 * so a caller that writes results as they come never holds every finding of a large scan.
 */
export function analyzeEach(files: readonly SourceFile[], options: AnalyzeOptions, onResult: (result: FileResult) => void): void {
  const config = options.config ?? DEFAULT_CONFIG;
  const rules = options.rules ?? ALL_RULES;
  const parse = options.parse ?? parseSegment;
  const prepared: (PreparedFile | undefined)[] = files.map((source) => prepareFile(source, config, parse));
  const index = new ObjectIndex(
    prepared.flatMap((p) => p!.objects),
    config,
    options.context ?? options.contextObjects ?? [],
  );
  const knownRuleIds = new Set(ALL_RULES.map((rule) => rule.id));
  const related = new RelatedLocator(files, parse, options.readContextFile);
  const active = activeRules(rules, config);
  for (let i = 0; i < prepared.length; i++) {
    onResult(checkFile(prepared[i]!, active, config, index, knownRuleIds, related));
    prepared[i] = undefined; // Let the file's text and parse go once it is reported.
  }
}

export function analyzeText(file: string, text: string, options: AnalyzeOptions = {}): FileResult {
  return analyze([{ file, text }], options)[0];
}

/** Parses a file into objects; files we must not or cannot parse become one problem each. */
export function prepareFile(
  source: SourceFile,
  config: ResolvedConfig,
  parse: (text: string) => ParsedSegment = parseSegment,
): PreparedFile {
  const lines = new LineIndex(source.text);
  const prepared: PreparedFile = { source, lines, segments: [], parsed: [], objects: [], problems: [] };
  const skip = skipReason(source.text, config);
  if (skip) {
    prepared.problems.push(problem(source.file, lines, skip.code, skip.severity, skip.message, skip.span));
    return prepared;
  }
  prepared.segments = splitDocuments(source.text);
  for (const segment of prepared.segments) {
    const parsed = parse(segment.text);
    prepared.parsed.push(parsed);
    if (parsed.error) {
      const { code, message, start, end } = parsed.error;
      prepared.problems.push(
        problem(source.file, lines, code, 'error', message, { start: segment.start + start, end: segment.start + end }),
      );
      continue;
    }
    prepared.objects.push(...objectsOfDocument(parsed.value, source.file, segment.index));
  }
  return prepared;
}

function skipReason(
  text: string,
  config: ResolvedConfig,
): { code: Problem['code']; severity: Severity; message: string; span: Span } | undefined {
  if (text.length > config.maxFileBytes) {
    const size = (text.length / (1024 * 1024)).toFixed(1);
    const limit = (config.maxFileBytes / (1024 * 1024)).toFixed(1);
    return {
      code: 'file-too-large',
      severity: 'error',
      message: `File is ${size} MB, over the ${limit} MB limit (maxFileBytes): not analysed.`,
      span: { start: 0, end: 0 },
    };
  }
  const nul = text.indexOf('\u0000');
  if (nul !== -1)
    return {
      code: 'binary-file',
      severity: 'error',
      message: 'File holds binary data (a NUL byte), not YAML: not analysed.',
      span: { start: 0, end: 0 },
    };
  return undefined;
}

interface ActiveRule {
  rule: Rule;
  severity: Severity;
}

/** The rules that run, with their configured severity: decided once per analysis, not per object. */
function activeRules(rules: readonly Rule[], config: ResolvedConfig): ActiveRule[] {
  const active: ActiveRule[] = [];
  for (const rule of rules) {
    const severity = config.rules[rule.id] ?? rule.severity;
    if (severity !== 'off' && atLeast(severity, config.severityThreshold)) active.push({ rule, severity });
  }
  return active;
}

function checkFile(
  file: PreparedFile,
  rules: readonly ActiveRule[],
  config: ResolvedConfig,
  index: ObjectIndex,
  knownRuleIds: ReadonlySet<string>,
  related: RelatedLocator,
): FileResult {
  const findings: Finding[] = [];
  const problems = [...file.problems];
  const comments = findSuppressionComments(file.lines);
  const failures = new Map<string, { objects: number; first: string; message: string }>();

  for (const object of file.objects) {
    const ref: ObjectRef = { kind: object.kind, apiVersion: object.apiVersion, name: object.name, namespace: object.namespace };
    // One context per object; `current` says which rule is reporting.
    let current: ActiveRule | undefined;
    const context: RuleContext = {
      config,
      workspace: index,
      knownRuleIds,
      isPlainScalar: (path) => isPlainScalarAt(file.parsed[object.docIndex].positioned(), path),
      report: (report) => {
        if (!current) return;
        const severity = report.severity && !atLeast(report.severity, current.severity) ? report.severity : current.severity;
        if (!atLeast(severity, config.severityThreshold)) return;
        const span = spanOf(file, object.docIndex, report.path, report.keyOnly, report.within);
        const finding: Finding = {
          ruleId: current.rule.id,
          severity,
          message: report.message,
          file: file.source.file,
          span,
          range: file.lines.rangeOf(span),
          path: report.path,
          docIndex: object.docIndex,
          object: ref,
          fix: report.fix,
        };
        if (report.related?.length) finding.related = related.resolve(report.related.slice(0, RELATED_PER_FINDING), file);
        finding.suppressed = suppressionOf(file, comments, object, finding);
        findings.push(finding);
      },
    };
    for (const active of rules) {
      current = active;
      const { rule } = active;
      try {
        rule.check(object, context);
      } catch (error) {
        // A rule bug must not take the whole analysis (or the language server) down.
        const failure = failures.get(rule.id);
        if (failure) failure.objects++;
        else failures.set(rule.id, { objects: 1, first: `${object.kind}/${object.name}`, message: errorMessage(error) });
      }
    }
    current = undefined;
  }
  // Nor pass unseen: a warning in the editor and exit code 2 in CI, as the rule's findings are missing.
  // One problem per rule, however many objects it failed on.
  for (const [ruleId, { objects, first, message }] of failures) {
    const on = objects === 1 ? first : `${objects} objects (first ${first})`;
    problems.push(
      problem(file.source.file, file.lines, 'rule-failed', 'warning', `Rule ${ruleId} failed on ${on}: ${message}`, { start: 0, end: 0 }),
    );
  }
  findings.push(...commentMetaFindings(file, comments, config, knownRuleIds));
  // Rule ids are plain ASCII: a code-unit comparison orders them without the cost of localeCompare.
  findings.sort((a, b) => a.span.start - b.span.start || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  return {
    file: file.source.file,
    findings,
    problems,
    objects: file.objects.map(({ kind, apiVersion, name, namespace }) => ({ kind, apiVersion, name, namespace })),
  };
}

function spanOf(file: PreparedFile, docIndex: number, path: Finding['path'], keyOnly = false, within?: Span): Span {
  const segment = file.segments[docIndex];
  const parsed = file.parsed[docIndex];
  const located = parsed.index().locate(path) ?? locate(parsed.positioned(), path);
  const span = { start: segment.start + located.start, end: segment.start + located.end };
  if (within && located.exact) {
    const value = getIn(parsed.value, path);
    if (typeof value === 'string') return partSpan(file.source.text, span, value, within) ?? span;
  }
  // An unknown field: mark the key as written (plain keys only; a quoted key keeps the pair's span).
  const key = path[path.length - 1];
  if (keyOnly && located.exact && typeof key === 'string' && file.source.text.startsWith(key, span.start))
    span.end = span.start + key.length;
  return span;
}

function suppressionOf(
  file: PreparedFile,
  comments: Map<number, SuppressionComment>,
  object: K8sObject,
  finding: Finding,
): Finding['suppressed'] {
  const byAnnotation = annotationSuppressing(object, finding.ruleId);
  if (byAnnotation) return byAnnotation;
  const comment = commentSuppressing(comments, file.lines, finding.range.start.line, finding.ruleId);
  return comment ? { by: 'comment', reason: comment.reason } : undefined;
}

/** Suppression comments without a reason, or naming no rule we have, are findings themselves. */
function commentMetaFindings(
  file: PreparedFile,
  comments: Map<number, SuppressionComment>,
  config: ResolvedConfig,
  knownRuleIds: ReadonlySet<string>,
): Finding[] {
  const findings: Finding[] = [];
  for (const comment of comments.values()) {
    const object = objectAt(file, comment.start);
    if (!object) continue;
    const report = (rule: Rule, message: string) => {
      const severity = config.rules[rule.id] ?? rule.severity;
      if (severity === 'off' || !atLeast(severity, config.severityThreshold)) return;
      const span = { start: comment.start, end: comment.end };
      findings.push({
        ruleId: rule.id,
        severity,
        message,
        file: file.source.file,
        span,
        range: file.lines.rangeOf(span),
        path: [],
        docIndex: object.docIndex,
        object: { kind: object.kind, apiVersion: object.apiVersion, name: object.name, namespace: object.namespace },
      });
    };
    if (!knownRuleIds.has(comment.ruleId)) {
      report(
        UNKNOWN_RULE_IN_SUPPRESSION,
        comment.ruleId
          ? `Suppression names "${comment.ruleId}", which is not a Fintech K8s rule id: it silences nothing.`
          : 'Suppression comment names no rule id: write `# fintech-k8s-ignore <rule-id>: <reason>`.',
      );
    } else if (!comment.reason) {
      report(
        SUPPRESSION_WITHOUT_REASON,
        `Suppression of ${comment.ruleId} gives no reason: write \`# fintech-k8s-ignore ${comment.ruleId}: <why this is acceptable>\` so reviewers and auditors can judge it.`,
      );
    }
  }
  return findings;
}

function objectAt(file: PreparedFile, offset: number): K8sObject | undefined {
  let docIndex = -1;
  for (const segment of file.segments) if (segment.start <= offset) docIndex = segment.index;
  return file.objects.find((object) => object.docIndex === docIndex);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function problem(file: string, lines: LineIndex, code: Problem['code'], severity: Severity, message: string, span: Span): Problem {
  return { code, severity, message, file, span, range: lines.rangeOf(span) };
}
