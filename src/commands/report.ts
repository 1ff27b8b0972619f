// "Fintech K8s: Compliance Report": the workspace's findings by PCI DSS requirement, in a webview with a
// strict Content-Security-Policy (no scripts, no remote content), and savable as Markdown or HTML.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { ComplianceReportRequest, type ComplianceReportResult } from '../../server/protocol';

export function complianceReport(ctx: Ctx) {
  return async (): Promise<ComplianceReportResult> => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Fintech K8s: building the compliance report' },
      () => ctx.client.sendRequest(ComplianceReportRequest.type, { folderUri: folder?.uri.toString() }),
    );
    const panel = vscode.window.createWebviewPanel('fintechK8s.complianceReport', 'Compliance Report', vscode.ViewColumn.Active, {
      enableScripts: false,
      localResourceRoots: [],
    });
    // The page carries its own CSP meta (default-src 'none'; inline styles only); the webview adds none.
    panel.webview.html = report.html;
    const save = await vscode.window.showInformationMessage(
      `Fintech K8s: ${report.findings} open finding(s) in ${report.files} file(s).`,
      'Save as Markdown…',
      'Save as HTML…',
    );
    if (save) {
      const markdown = save.startsWith('Save as Markdown');
      const target = await vscode.window.showSaveDialog({
        defaultUri: folder ? vscode.Uri.joinPath(folder.uri, markdown ? 'compliance-report.md' : 'compliance-report.html') : undefined,
        filters: markdown ? { Markdown: ['md'] } : { HTML: ['html'] },
      });
      if (target) await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(markdown ? report.markdown : report.html));
    }
    return report;
  };
}
