// Machine output: every finding (suppressed ones flagged) and problem, with 1-based lines like the text form.
// Written file by file (one compact line per file) so a large scan never holds its whole report in memory;
// the summary comes last, once every file is counted.
import type { FileResult } from '../types';
import { qualifiedName } from './object-name';
import type { Summary } from './summary';

type Ranged = { start: { line: number; character: number }; end: { line: number; character: number } };

const oneBased = (r: Ranged) => ({
  startLine: r.start.line + 1,
  startColumn: r.start.character + 1,
  endLine: r.end.line + 1,
  endColumn: r.end.character + 1,
});

/** Opens the document (`config`: the settings file that applied, or null); then jsonFile for each file (joined by ",\n"), then jsonEnd. */
export function jsonStart(version: string, config: string | null = null): string {
  return `{"tool":"fintech-k8s","version":${JSON.stringify(version)},"config":${JSON.stringify(config)},"files":[\n`;
}

export function jsonFile(result: FileResult): string {
  return JSON.stringify({
    file: result.file,
    objects: result.objects.map(qualifiedName),
    problems: result.problems.map((p) => ({ code: p.code, severity: p.severity, message: p.message, ...oneBased(p.range) })),
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      object: qualifiedName(f.object),
      path: f.path.join('.'),
      ...oneBased(f.range),
      fixable: f.fix !== undefined,
      ...(f.related?.length ? { related: f.related.map((r) => ({ file: r.file, message: r.message, ...oneBased(r.range) })) } : {}),
      ...(f.suppressed ? { suppressed: f.suppressed } : {}),
    })),
  });
}

/** Closes the document; `error` says the run stopped early (a bug), so the files listed may be incomplete. */
export function jsonEnd(summary: Summary, error?: string): string {
  return `\n],"summary":${JSON.stringify(summary)}${error === undefined ? '' : `,"error":${JSON.stringify(error)}`}}\n`;
}
