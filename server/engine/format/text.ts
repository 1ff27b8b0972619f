// Human output: one `file:line:col` line per finding, clickable in terminals and CI logs.
import type { FileResult } from '../types';
import { qualifiedName } from './object-name';
import { summarize } from './summary';

export function formatText(results: readonly FileResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    const entries = [
      ...result.problems.map((p) => ({ at: p.span.start, line: `${where(result.file, p.range.start)}: ${p.severity} [${p.code}] ${p.message}` })),
      ...result.findings
        .filter((f) => !f.suppressed)
        .map((f) => ({ at: f.span.start, line: `${where(result.file, f.range.start)}: ${f.severity} [${f.ruleId}] ${f.message} (${qualifiedName(f.object)})` })),
    ];
    entries.sort((a, b) => a.at - b.at);
    lines.push(...entries.map((e) => e.line));
  }
  const s = summarize(results);
  const total = s.findings.error + s.findings.warning + s.findings.info;
  lines.push(
    `${total} finding${total === 1 ? '' : 's'} (${s.findings.error} error, ${s.findings.warning} warning, ${s.findings.info} info) in ${s.objects} objects, ${s.files} files` +
      (s.suppressed ? `; ${s.suppressed} suppressed` : '') +
      (s.filesWithErrors ? `; ${s.filesWithErrors} file${s.filesWithErrors === 1 ? '' : 's'} could not be analysed` : ''),
  );
  return lines.join('\n') + '\n';
}

function where(file: string, position: { line: number; character: number }): string {
  return `${file}:${position.line + 1}:${position.character + 1}`;
}
