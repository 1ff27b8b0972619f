// Engine findings → LSP diagnostics: the only file that knows both worlds.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { ruleDocsUrl } from '../engine/docs-url';
import type { Finding, Problem, Severity } from '../engine/types';
import { DIAGNOSTIC_SOURCE } from '../protocol';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** One link object per rule, shared by its diagnostics (thousands on a large file, on every edit). */
const DOCS_LINKS = new Map<string, { href: string }>();

function docsLink(ruleId: string): { href: string } {
  let link = DOCS_LINKS.get(ruleId);
  if (!link) DOCS_LINKS.set(ruleId, (link = { href: ruleDocsUrl(ruleId) }));
  return link;
}

export function findingToDiagnostic(finding: Finding): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: docsLink(finding.ruleId),
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    // Always sent: clients without the relatedInformation capability ignore it, and the hover says the same.
    ...(finding.related?.length
      ? { relatedInformation: finding.related.map((r) => ({ location: { uri: r.file, range: r.range }, message: r.message })) }
      : {}),
  };
}

export function problemToDiagnostic(problem: Problem): Diagnostic {
  return {
    range: problem.range,
    severity: SEVERITY[problem.severity],
    code: problem.code,
    source: DIAGNOSTIC_SOURCE,
    message: problem.message,
  };
}
