// The compliance report as Markdown. Text from manifests (names, messages, reasons) is escaped so it can
// neither break a table nor inject HTML or links into a rendered page.
import type { ComplianceReport, ReportFinding, ReportGroup, ReportRule, SeverityCounts } from './report';

export interface ReportRenderOptions {
  /** When the report was made; passed in so rendering is deterministic. */
  generatedAt: Date;
  version: string;
  title?: string;
}

export const DEFAULT_REPORT_TITLE = 'Fintech K8s compliance report (PCI DSS v4.0)';

/** Escapes text for a Markdown table cell or paragraph: HTML, table pipes, emphasis, links, line breaks. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1')
    .replace(/\r?\n|\r/g, ' ');
}

export function renderReportMarkdown(report: ComplianceReport, options: ReportRenderOptions): string {
  const out: string[] = [];
  const t = report.totals;
  out.push(`# ${escapeMarkdown(options.title ?? DEFAULT_REPORT_TITLE)}`, '');
  out.push(`Generated ${options.generatedAt.toISOString()} by fintech-k8s ${escapeMarkdown(options.version)}.`, '');

  out.push('## Scope', '');
  out.push(`- Files scanned: ${t.files}`);
  out.push(`- Kubernetes objects: ${t.objects}`);
  out.push(`- Rules checked: ${t.rulesChecked}`);
  out.push(`- Open findings: ${t.openTotal} (${countsText(t.open)})`);
  out.push(`- Suppressed findings: ${t.suppressed} (listed separately, not counted as open)`);
  if (t.filesNotAnalysed) out.push(`- Files that could not be analysed: ${t.filesNotAnalysed}`);
  out.push('');
  if (report.scope.length) {
    out.push('| File | Objects | Problems |', '| --- | --- | --- |');
    for (const file of report.scope) {
      out.push(
        row([
          escapeMarkdown(file.file),
          file.objects.map(escapeMarkdown).join(', ') || '—',
          file.problems.map((p) => `line ${p.line}: ${escapeMarkdown(p.code)}: ${escapeMarkdown(p.message)}`).join('; ') || '—',
        ]),
      );
    }
    out.push('');
  }

  out.push('## Summary by PCI DSS v4.0 requirement', '');
  out.push('| Requirement | Error | Warning | Info | Suppressed | Rules failed | Rules passed |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const group of [...report.pci, ...(report.pciUnmapped.findings.length ? [report.pciUnmapped] : [])]) {
    out.push(
      row([
        group === report.pciUnmapped ? 'Not mapped' : group.id,
        String(group.counts.error),
        String(group.counts.warning),
        String(group.counts.info),
        String(group.suppressedCount),
        String(group.failedRules.length),
        String(group.passedRules.length),
      ]),
    );
  }
  out.push('');

  out.push('## PCI DSS v4.0 requirements', '');
  for (const group of report.pci) renderGroup(out, `Requirement ${group.id}`, group);
  if (report.pciUnmapped.findings.length) renderGroup(out, 'Not mapped to a PCI DSS requirement', report.pciUnmapped);

  out.push('## Pod Security Standards', '');
  for (const group of report.podSecurity) renderGroup(out, `Pod Security level: ${group.id}`, group);

  out.push('## CIS Kubernetes Benchmark', '');
  for (const group of report.cis) renderGroup(out, `CIS control ${group.id}`, group);

  out.push('## NSA/CISA Kubernetes Hardening Guide', '');
  for (const group of report.nsa) renderGroup(out, `NSA/CISA: ${escapeMarkdown(group.id)}`, group);

  out.push('## Suppressed findings', '');
  if (report.suppressed.length === 0) out.push('None.', '');
  else {
    out.push('| Rule | Severity | Object | Location | Message | Suppressed by | Reason |');
    out.push('| --- | --- | --- | --- | --- | --- | --- |');
    for (const s of report.suppressed) {
      out.push(row([...findingCells(s), escapeMarkdown(s.suppressed.by), escapeMarkdown(s.suppressed.reason) || '*(no reason given)*']));
    }
    out.push('');
  }
  return out.join('\n');
}

function renderGroup(out: string[], heading: string, group: ReportGroup): void {
  out.push(`### ${heading}`, '');
  const open = group.counts.error + group.counts.warning + group.counts.info;
  out.push(`Open findings: ${open} (${countsText(group.counts)}); suppressed: ${group.suppressedCount}.`, '');
  if (group.findings.length) {
    out.push('| Rule | Severity | Object | Location | Message |', '| --- | --- | --- | --- | --- |');
    for (const finding of group.findings) out.push(row(findingCells(finding)));
    out.push('');
  }
  if (group.passedRules.length) out.push(`Passed: ${group.passedRules.map(ruleLink).join(', ')}`, '');
  if (group.suppressedRules.length) out.push(`Only suppressed findings: ${group.suppressedRules.map(ruleLink).join(', ')}`, '');
}

function findingCells(finding: ReportFinding): string[] {
  return [
    `[${escapeMarkdown(finding.ruleId)}](${finding.docsUrl})`,
    finding.severity,
    escapeMarkdown(finding.object),
    escapeMarkdown(`${finding.file}:${finding.line}`),
    escapeMarkdown(finding.message),
  ];
}

function ruleLink(rule: ReportRule): string {
  return `[${escapeMarkdown(rule.id)}](${rule.docsUrl})`;
}

function countsText(counts: SeverityCounts): string {
  return `${counts.error} error, ${counts.warning} warning, ${counts.info} info`;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}
