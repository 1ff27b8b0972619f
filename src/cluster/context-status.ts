// Status bar: the context and namespace the extension deploys to and reads logs from; a click switches.
import * as vscode from 'vscode';
import type { ClusterState } from './cluster-state';

export class ContextStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('fintechK8s.context', vscode.StatusBarAlignment.Left, 49);
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly cluster: ClusterState,
    private readonly isProduction: (context: string) => boolean,
  ) {
    this.item.name = 'Fintech K8s context';
    this.item.command = 'fintechK8s.switchContext';
    this.subscription = cluster.onDidChange(() => this.update());
  }

  /** Shown once the cluster side is in use (the Clusters view opened or a cluster command ran). */
  update(): void {
    let context: string | undefined;
    try {
      context = this.cluster.currentContext;
    } catch {
      context = undefined;
    }
    if (!context) {
      this.item.hide();
      return;
    }
    const production = this.isProduction(context);
    this.item.text = `$(${production ? 'warning' : 'cloud'}) ${context}: ${this.cluster.namespaceOf(context)}`;
    this.item.tooltip = `Fintech K8s deploys to and reads logs from ${context}, namespace ${this.cluster.namespaceOf(context)}${production ? ' (looks like production)' : ''}. Click to switch.`;
    this.item.backgroundColor = production ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
