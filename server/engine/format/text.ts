// Human output: one `file:line:col` line per finding, clickable in terminals and CI logs.
import type { FileResult } from '../types';
import { qualifiedName } from './object-name';
import { summarize, type Summary } from './summary';

/** The lines of one file's findings and problems, in order; empty when there are none. */
export function formatFileText(result: FileResult): string {
  const entries = [
    ...result.problems.map((p) => ({
      at: p.span.start,
      line: `${where(result.file, p.range.start)}: ${p.severity} [${p.code}] ${p.message}`,
    })),
    ...result.findings
      .filter((f) => !f.suppressed)
      .map((f) => ({
        at: f.span.start,
        // What the finding depends on, indented under it: `  related: other.yaml:12:3 Service payments/rpc exposes port 8545`.
        line: [
          `${where(result.file, f.range.start)}: ${f.severity} [${f.ruleId}] ${f.message} (${qualifiedName(f.object)})`,
          ...(f.related ?? []).map((r) => `  related: ${where(r.file, r.range.start)} ${r.message}`),
        ].join('\n'),
      })),
  ];
  if (entries.length === 0) return '';
  entries.sort((a, b) => a.at - b.at);
  return entries.map((entry) => entry.line).join('\n') + '\n';
}

export function formatText(results: readonly FileResult[]): string {
  return results.map(formatFileText).join('') + summaryLine(summarize(results)) + '\n';
}

export function summaryLine(s: Summary): string {
  const total = s.findings.error + s.findings.warning + s.findings.info;
  return (
    `${total} finding${total === 1 ? '' : 's'} (${s.findings.error} error, ${s.findings.warning} warning, ${s.findings.info} info) in ${s.objects} objects, ${s.files} files` +
    (s.suppressed ? `; ${s.suppressed} suppressed` : '') +
    (s.filesWithErrors ? `; ${s.filesWithErrors} file${s.filesWithErrors === 1 ? '' : 's'} could not be analysed` : '')
  );
}

function where(file: string, position: { line: number; character: number }): string {
  return `${file}:${position.line + 1}:${position.character + 1}`;
}
