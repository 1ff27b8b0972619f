// "Fintech K8s: New Chart from Template…": a hardened Helm chart (a payments API, a blockchain node) written
// into a folder of the workspace, its values.yaml opened: its rendered output has no finding at warning or above.
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { Ctx } from '../ctx';
import { validateObjectName } from '../templates/catalog';
import { listScaffolds, writeScaffold, type ChartScaffold } from '../templates/chart-scaffold';

const TITLES: Record<string, string> = {
  'payments-api': 'Payments API',
  'blockchain-node': 'Blockchain node (Ethereum execution + consensus, or Bitcoin Core)',
};

export function newChartFromTemplate(ctx: Ctx) {
  return async (): Promise<vscode.Uri | undefined> => {
    const scaffolds = listScaffolds(vscode.Uri.joinPath(ctx.extension.extensionUri, 'chart-scaffolds').fsPath);
    const picked = await vscode.window.showQuickPick(
      scaffolds.map((scaffold) => ({ label: TITLES[scaffold.id] ?? scaffold.id, detail: scaffold.description, scaffold })),
      { title: 'New Chart from Template', placeHolder: 'Choose a chart' },
    );
    const scaffold: ChartScaffold | undefined = picked?.scaffold;
    if (!scaffold) return undefined;
    const name = await vscode.window.showInputBox({
      title: `${picked!.label}: chart name`,
      value: scaffold.id,
      validateInput: validateObjectName,
    });
    if (!name) return undefined;
    const folder = await pickFolder();
    if (!folder) return undefined;
    const target = join(folder.fsPath, name);
    try {
      writeScaffold(scaffold, target, name);
    } catch (error) {
      void vscode.window.showErrorMessage(`Fintech K8s: cannot create the chart: ${(error as Error).message}`);
      return undefined;
    }
    const values = vscode.Uri.file(join(target, 'values.yaml'));
    await vscode.window.showTextDocument(values);
    return vscode.Uri.file(target);
  };
}

/** The folder the chart goes into: the only workspace folder, else the one chosen, else a folder picked. */
async function pickFolder(): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0].uri;
  if (folders.length > 1) return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder to create the chart in' }))?.uri;
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Create the chart here' });
  return chosen?.[0];
}
