import type { FileResult, Severity } from '../types';

export interface Summary {
  files: number;
  objects: number;
  findings: Record<Severity, number>;
  suppressed: number;
  filesWithErrors: number;
  /** Rules that failed (a bug of ours): their findings are missing, so the run cannot pass. */
  ruleFailures: number;
}

export function emptySummary(): Summary {
  return { files: 0, objects: 0, findings: { error: 0, warning: 0, info: 0 }, suppressed: 0, filesWithErrors: 0, ruleFailures: 0 };
}

export function addToSummary(summary: Summary, result: FileResult): void {
  summary.files++;
  summary.objects += result.objects.length;
  if (result.problems.some((p) => p.severity === 'error')) summary.filesWithErrors++;
  for (const problem of result.problems) if (problem.code === 'rule-failed') summary.ruleFailures++;
  for (const finding of result.findings) {
    if (finding.suppressed) summary.suppressed++;
    else summary.findings[finding.severity]++;
  }
}
