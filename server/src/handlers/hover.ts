// Hover on a flagged range: what the rule checks, why, how to fix it, and its compliance references.
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import { ruleDocsUrl } from '../../engine/docs-url';
import { RULES_BY_ID } from '../../engine/rules';
import type { Finding, Position, Rule } from '../../engine/types';
import type { DocumentAnalyzer } from '../analysis';

export async function hover(analyzer: DocumentAnalyzer, params: HoverParams): Promise<Hover | null> {
  const analysis = await analyzer.current(params.textDocument.uri);
  if (!analysis) return null;
  const here = analysis.result.findings.filter((f) => contains(f, params.position));
  if (here.length === 0) return null;
  const seen = new Set<string>();
  const sections: string[] = [];
  for (const finding of here) {
    if (seen.has(finding.ruleId)) continue;
    seen.add(finding.ruleId);
    const rule = RULES_BY_ID.get(finding.ruleId);
    if (rule) sections.push(ruleMarkdown(rule, finding));
  }
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') } };
}

export function ruleMarkdown(rule: Rule, finding?: Finding): string {
  const refs = [
    rule.references.pci.length ? `**PCI DSS v4.0** ${rule.references.pci.join(', ')}` : undefined,
    rule.references.cis?.length ? `**CIS** ${rule.references.cis.join(', ')}` : undefined,
    rule.references.nsa?.length ? `**NSA/CISA** ${rule.references.nsa.join('; ')}` : undefined,
    rule.references.pss ? `**Pod Security Standards** ${rule.references.pss}` : undefined,
  ].filter(Boolean);
  return [
    `**${rule.title}** \`${rule.id}\` · ${rule.severity}`,
    finding?.suppressed ? `_Suppressed by ${finding.suppressed.by}: ${finding.suppressed.reason || 'no reason given'}_` : undefined,
    rule.rationale,
    `**Fix:** ${rule.remediation}`,
    refs.join(' · '),
    `[Rule documentation](${ruleDocsUrl(rule.id)})`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

function contains(finding: Finding, position: Position): boolean {
  const { start, end } = finding.range;
  const after = position.line > start.line || (position.line === start.line && position.character >= start.character);
  const before = position.line < end.line || (position.line === end.line && position.character <= end.character);
  return after && before;
}
