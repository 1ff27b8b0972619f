// The compliance report as one self-contained HTML page: inline CSS, no scripts, no external resources,
// a Content-Security-Policy that forbids everything but inline styles. Every text that comes from a
// manifest (names, messages, suppression reasons, file names) is escaped.
import type { ComplianceReport, ReportFinding, ReportGroup, ReportRule, SeverityCounts } from './report';
import { DEFAULT_REPORT_TITLE, type ReportRenderOptions } from './report-markdown';

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'";

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem; color: #1b1f24; line-height: 1.4; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; } h3 { margin-top: 1.4rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.n { text-align: right; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; word-break: break-all; }
.sev-error { color: #b42318; font-weight: 600; } .sev-warning { color: #9a6700; font-weight: 600; } .sev-info { color: #0969da; }
.muted { color: #57606a; } .passed { color: #1a7f37; }
@media print { body { margin: 0; } a { color: inherit; } }
`;

export function renderReportHtml(report: ComplianceReport, options: ReportRenderOptions): string {
  const title = escapeHtml(options.title ?? DEFAULT_REPORT_TITLE);
  const t = report.totals;
  const body: string[] = [];
  body.push(`<h1>${title}</h1>`);
  body.push(
    `<p class="muted">Generated <time datetime="${options.generatedAt.toISOString()}">${options.generatedAt.toISOString()}</time> by fintech-k8s ${escapeHtml(options.version)}.</p>`,
  );

  body.push('<h2 id="scope">Scope</h2>', '<ul>');
  body.push(`<li>Files scanned: ${t.files}</li>`, `<li>Kubernetes objects: ${t.objects}</li>`, `<li>Rules checked: ${t.rulesChecked}</li>`);
  body.push(`<li>Open findings: ${t.openTotal} (${countsHtml(t.open)})</li>`);
  body.push(`<li>Suppressed findings: ${t.suppressed} (listed separately, not counted as open)</li>`);
  if (t.filesNotAnalysed) body.push(`<li class="sev-error">Files that could not be analysed: ${t.filesNotAnalysed}</li>`);
  body.push('</ul>');
  if (report.scope.length) {
    body.push('<table><thead><tr><th>File</th><th>Objects</th><th>Problems</th></tr></thead><tbody>');
    for (const file of report.scope) {
      const objects = file.objects.map((o) => `<code>${escapeHtml(o)}</code>`).join('<br>') || '—';
      const problems =
        file.problems.map((p) => `line ${p.line}: <code>${escapeHtml(p.code)}</code> ${escapeHtml(p.message)}`).join('<br>') || '—';
      body.push(`<tr><td><code>${escapeHtml(file.file)}</code></td><td>${objects}</td><td>${problems}</td></tr>`);
    }
    body.push('</tbody></table>');
  }

  body.push('<h2 id="summary">Summary by PCI DSS v4.0 requirement</h2>');
  body.push(
    '<table><thead><tr><th>Requirement</th><th>Error</th><th>Warning</th><th>Info</th><th>Suppressed</th><th>Rules failed</th><th>Rules passed</th></tr></thead><tbody>',
  );
  const pciGroups = [...report.pci, ...(report.pciUnmapped.findings.length ? [report.pciUnmapped] : [])];
  for (const group of pciGroups) {
    const label = group === report.pciUnmapped ? 'Not mapped' : `<a href="#${anchor('pci', group.id)}">${escapeHtml(group.id)}</a>`;
    body.push(
      `<tr><td>${label}</td><td class="n">${group.counts.error}</td><td class="n">${group.counts.warning}</td><td class="n">${group.counts.info}</td>` +
        `<td class="n">${group.suppressedCount}</td><td class="n">${group.failedRules.length}</td><td class="n">${group.passedRules.length}</td></tr>`,
    );
  }
  body.push('</tbody></table>');

  body.push('<h2 id="pci">PCI DSS v4.0 requirements</h2>');
  for (const group of report.pci) renderGroup(body, anchor('pci', group.id), `Requirement ${escapeHtml(group.id)}`, group);
  if (report.pciUnmapped.findings.length) renderGroup(body, 'pci-unmapped', 'Not mapped to a PCI DSS requirement', report.pciUnmapped);

  body.push('<h2 id="pss">Pod Security Standards</h2>');
  for (const group of report.podSecurity) renderGroup(body, anchor('pss', group.id), `Pod Security level: ${escapeHtml(group.id)}`, group);

  body.push('<h2 id="cis">CIS Kubernetes Benchmark</h2>');
  for (const group of report.cis) renderGroup(body, anchor('cis', group.id), `CIS control ${escapeHtml(group.id)}`, group);

  body.push('<h2 id="nsa">NSA/CISA Kubernetes Hardening Guide</h2>');
  for (const group of report.nsa) renderGroup(body, anchor('nsa', group.id), `NSA/CISA: ${escapeHtml(group.id)}`, group);

  body.push('<h2 id="suppressed">Suppressed findings</h2>');
  if (report.suppressed.length === 0) body.push('<p>None.</p>');
  else {
    body.push(`<table><thead><tr>${FINDING_HEADERS}<th>Suppressed by</th><th>Reason</th></tr></thead><tbody>`);
    for (const s of report.suppressed) {
      const reason = s.suppressed.reason ? escapeHtml(s.suppressed.reason) : '<em>(no reason given)</em>';
      body.push(`<tr>${findingCells(s)}<td>${escapeHtml(s.suppressed.by)}</td><td>${reason}</td></tr>`);
    }
    body.push('</tbody></table>');
  }

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${title}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const FINDING_HEADERS = '<th>Rule</th><th>Severity</th><th>Object</th><th>Location</th><th>Message</th>';

function renderGroup(body: string[], id: string, heading: string, group: ReportGroup): void {
  body.push(`<h3 id="${id}">${heading}</h3>`);
  const open = group.counts.error + group.counts.warning + group.counts.info;
  body.push(`<p>Open findings: ${open} (${countsHtml(group.counts)}); suppressed: ${group.suppressedCount}.</p>`);
  if (group.findings.length) {
    body.push(`<table><thead><tr>${FINDING_HEADERS}</tr></thead><tbody>`);
    for (const finding of group.findings) body.push(`<tr>${findingCells(finding)}</tr>`);
    body.push('</tbody></table>');
  }
  if (group.passedRules.length) body.push(`<p class="passed">Passed: ${group.passedRules.map(ruleLink).join(', ')}</p>`);
  if (group.suppressedRules.length)
    body.push(`<p class="muted">Only suppressed findings: ${group.suppressedRules.map(ruleLink).join(', ')}</p>`);
}

function findingCells(finding: ReportFinding): string {
  return (
    `<td><a href="${escapeHtml(finding.docsUrl)}" rel="noopener noreferrer">${escapeHtml(finding.ruleId)}</a></td>` +
    `<td class="sev-${finding.severity}">${finding.severity}</td>` +
    `<td><code>${escapeHtml(finding.object)}</code></td>` +
    `<td><code>${escapeHtml(`${finding.file}:${finding.line}`)}</code></td>` +
    `<td>${escapeHtml(finding.message)}</td>`
  );
}

function ruleLink(rule: ReportRule): string {
  return `<a href="${escapeHtml(rule.docsUrl)}" rel="noopener noreferrer" title="${escapeHtml(rule.title)}">${escapeHtml(rule.id)}</a>`;
}

function countsHtml(counts: SeverityCounts): string {
  return `<span class="sev-error">${counts.error} error</span>, <span class="sev-warning">${counts.warning} warning</span>, <span class="sev-info">${counts.info} info</span>`;
}

/** An id attribute made of safe characters only. */
function anchor(prefix: string, id: string): string {
  return `${prefix}-${id.toLowerCase().replace(/[^a-z0-9.]+/g, '-')}`;
}
