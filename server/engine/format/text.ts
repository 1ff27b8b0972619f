// Human output: one `file:line:col` line per finding, clickable in terminals and CI logs.
import type { FileResult, Problem } from '../types';
import { qualifiedName } from './object-name';
import type { Summary } from './summary';

/** The lines of one file's findings and problems, in order; empty when there are none. */
export function formatFileText(result: FileResult): string {
  // Findings come sorted by position; the few problems are merged in (first on a tie), one pass, no copies.
  const problems = result.problems.length > 1 ? [...result.problems].sort((a, b) => a.span.start - b.span.start) : result.problems;
  let text = '';
  let next = 0;
  for (const finding of result.findings) {
    if (finding.suppressed) continue;
    for (; next < problems.length && problems[next].span.start <= finding.span.start; next++)
      text += problemLine(result.file, problems[next]);
    text += `${where(result.file, finding.range.start)}: ${finding.severity} [${finding.ruleId}] ${finding.message} (${qualifiedName(finding.object)})\n`;
    // What the finding depends on, indented under it: `  related: other.yaml:12:3 Service payments/rpc exposes port 8545`.
    for (const related of finding.related ?? []) text += `  related: ${where(related.file, related.range.start)} ${related.message}\n`;
  }
  for (; next < problems.length; next++) text += problemLine(result.file, problems[next]);
  return text;
}

function problemLine(file: string, problem: Problem): string {
  return `${where(file, problem.range.start)}: ${problem.severity} [${problem.code}] ${problem.message}\n`;
}

export function summaryLine(s: Summary): string {
  const total = s.findings.error + s.findings.warning + s.findings.info;
  return (
    `${total} finding${total === 1 ? '' : 's'} (${s.findings.error} error, ${s.findings.warning} warning, ${s.findings.info} info) in ${s.objects} objects, ${s.files} files` +
    (s.suppressed ? `; ${s.suppressed} suppressed` : '') +
    (s.filesWithErrors ? `; ${s.filesWithErrors} file${s.filesWithErrors === 1 ? '' : 's'} could not be analysed` : '') +
    (s.ruleFailures ? `; ${s.ruleFailures} rule failure${s.ruleFailures === 1 ? '' : 's'} (findings may be missing)` : '')
  );
}

function where(file: string, position: { line: number; character: number }): string {
  return `${file}:${position.line + 1}:${position.character + 1}`;
}
