// Context keys listing the workspace's chart and kustomization folders, so the explorer offers Deploy Chart
// and Deploy Overlay on those folders only (`resourcePath in fintechK8s.chartFolders`).
import * as vscode from 'vscode';

const ROOT_FILE = /\/(Chart\.yaml|kustomization\.ya?ml|Kustomization)$/;

const KEYS = {
  'fintechK8s.chartFolders': ['Chart.yaml'],
  'fintechK8s.kustomizationFolders': ['kustomization.yaml', 'kustomization.yml', 'Kustomization'],
} as const;

export class RootFolderContext implements vscode.Disposable {
  private readonly watcher = vscode.workspace.createFileSystemWatcher(
    '**/{Chart.yaml,kustomization.yaml,kustomization.yml,Kustomization}',
    false,
    true,
    false,
  );
  private pending: NodeJS.Timeout | undefined;

  private readonly opened: vscode.Disposable;

  constructor() {
    this.watcher.onDidCreate(() => this.schedule());
    this.watcher.onDidDelete(() => this.schedule());
    // File events can lag behind (or miss) files written by other programs; opening a root file is a sure sign.
    this.opened = vscode.workspace.onDidOpenTextDocument((document) => {
      if (ROOT_FILE.test(document.uri.path)) this.schedule();
    });
    void this.update();
  }

  private schedule(): void {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => void this.update(), 500);
  }

  private async update(): Promise<void> {
    for (const [key, names] of Object.entries(KEYS)) {
      const files = await vscode.workspace.findFiles(`**/{${names.join(',')}}`, '**/node_modules/**', 2000);
      const folders = [...new Set(files.map((file) => vscode.Uri.joinPath(file, '..').fsPath))];
      await vscode.commands.executeCommand('setContext', key, folders);
    }
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.watcher.dispose();
    this.opened.dispose();
  }
}
