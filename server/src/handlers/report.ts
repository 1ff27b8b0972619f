// fintechK8s/complianceReport: every Kubernetes file of the workspace through the engine at once (as the
// CLI's `report` does), grouped by PCI DSS requirement; the client shows the HTML in a webview.
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type SourceFile } from '../../engine/engine';
import { buildReport } from '../../engine/format/report';
import { renderReportHtml } from '../../engine/format/report-html';
import { renderReportMarkdown } from '../../engine/format/report-markdown';
import { ALL_RULES } from '../../engine/rules';
import type { ComplianceReportParams, ComplianceReportResult } from '../../protocol';
import type { RenderRoot } from '../../render';
import type { RootResults } from '../root-lint';
import type { SettingsProvider } from '../settings';
import type { WorkspaceIndex } from '../workspace-index';

declare const PACKAGE_VERSION: string | undefined;

export async function complianceReport(
  settings: SettingsProvider,
  index: WorkspaceIndex,
  documents: TextDocuments<TextDocument>,
  folders: readonly string[],
  params: ComplianceReportParams,
  /** Charts are in the report as what they render, on their template and values lines. */
  lintRoot?: (root: RenderRoot) => Promise<RootResults | undefined>,
): Promise<ComplianceReportResult> {
  const folderUri = params.folderUri ?? (folders[0] ? pathToFileURL(folders[0]).href : undefined);
  // Settings of the folder: a file at its root stands for it.
  const { config } = await settings.forDocument(folderUri ? `${folderUri.replace(/\/$/, '')}/report.yaml` : 'untitled:report');
  const sources: SourceFile[] = [];
  for (const uri of index.uris().sort()) {
    const open = documents.get(uri);
    const text = open ? open.getText() : await readFile(fileURLToPath(uri), 'utf8').catch(() => undefined);
    if (text !== undefined) sources.push({ file: displayName(uri, folders), text });
  }
  const results = analyze(sources, { config });
  for (const root of lintRoot ? index.roots.values() : []) {
    const linted = await lintRoot!(root).catch(() => undefined);
    for (const result of linted?.values() ?? []) {
      const { symbols: _symbols, ...plain } = result;
      const file = displayName(plain.file, folders);
      results.push({
        ...plain,
        file,
        findings: plain.findings.map((f) => ({ ...f, file })),
        problems: plain.problems.map((p) => ({ ...p, file })),
      });
    }
  }
  const rules = ALL_RULES.filter((rule) => config.rules[rule.id] !== 'off');
  const report = buildReport(results, rules);
  const options = { generatedAt: new Date(), version: typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev' };
  return {
    html: renderReportHtml(report, options),
    markdown: renderReportMarkdown(report, options),
    files: results.length,
    findings: results.reduce((n, r) => n + r.findings.filter((f) => !f.suppressed).length, 0),
  };
}

/** Paths relative to their workspace folder, as an auditor reads them. */
function displayName(uri: string, folders: readonly string[]): string {
  const path = fileURLToPath(uri);
  const folder = folders.find((f) => path.startsWith(f + '/'));
  return folder ? path.slice(folder.length + 1) : path;
}
