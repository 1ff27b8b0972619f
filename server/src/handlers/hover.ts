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
    if (!rule) continue;
    // Every finding of the rule here: each may depend on a different object elsewhere.
    const dependsOn = here.filter((f) => f.ruleId === finding.ruleId).flatMap((f) => dependencies(f, params.textDocument.uri));
    sections.push([ruleMarkdown(rule, finding), ...new Set(dependsOn)].join('\n\n'));
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

/**
 * "Depends on … in [b.yaml:12](file:///…/b.yaml#L12)" for each related object in another file: the finding
 * changes when that file does, which nothing in this editor shows otherwise.
 */
export function dependencies(finding: Finding, uri: string): string[] {
  return (finding.related ?? [])
    .filter((r) => r.file !== uri)
    .map((r) => {
      const line = r.range.start.line + 1;
      const target = `${r.file.replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29'))}#L${line}`;
      return `Depends on ${escapeMarkdown(r.message)} in [${escapeMarkdown(fileName(r.file))}:${line}](${target})`;
    });
}

function fileName(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  const name = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]()<>#|]/g, '\\$&');
}

function contains(finding: Finding, position: Position): boolean {
  const { start, end } = finding.range;
  const after = position.line > start.line || (position.line === start.line && position.character >= start.character);
  const before = position.line < end.line || (position.line === end.line && position.character <= end.character);
  return after && before;
}
