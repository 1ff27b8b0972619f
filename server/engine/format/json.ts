// Machine output: every finding (suppressed ones flagged) and problem, with 1-based lines like the text form.
import type { FileResult } from '../types';
import { qualifiedName } from './object-name';
import { summarize } from './summary';

export function formatJson(results: readonly FileResult[], version: string): string {
  const oneBased = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) => ({
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  });
  return (
    JSON.stringify(
      {
        tool: 'fintech-k8s',
        version,
        summary: summarize(results),
        files: results.map((result) => ({
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
        })),
      },
      null,
      2,
    ) + '\n'
  );
}
