// The extension's state: the language client, settings, cluster state, views and status bar items, and
// what to dispose. Cluster code (client-node) loads on first use, not here.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { WorkspaceTrustedNotification } from '../server/protocol';
import { createLanguageClient } from './client';
import { ClusterState } from './cluster/cluster-state';
import { ContextStatusBar } from './cluster/context-status';
import { DeployUi } from './commands/deploy';
import { LogTails } from './commands/logs';
import { Config } from './config';
import { RootFolderContext } from './root-folder-context';
import { FindingsStatusBar } from './status-bar';
import { ClustersTree, type ClusterNode } from './views/clusters-tree';
import { ComplianceService } from './views/compliance';

export class Ctx implements vscode.Disposable {
  readonly config = new Config();
  readonly client: LanguageClient;
  readonly cluster: ClusterState;
  readonly clustersTree: ClustersTree;
  readonly contextStatus: ContextStatusBar;
  readonly deployUi: DeployUi;
  readonly logTails: LogTails;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.client = createLanguageClient(extension);
    this.push(new FindingsStatusBar());
    this.push(new RootFolderContext());
    this.cluster = this.push(new ClusterState(extension.extensionPath));
    const compliance = this.push(new ComplianceService(this.client, () => this.cluster.kube));
    this.clustersTree = this.push(new ClustersTree(this.cluster, compliance));
    const view = this.push(
      vscode.window.createTreeView<ClusterNode>('fintechK8s.clusters', { treeDataProvider: this.clustersTree, showCollapseAll: true }),
    );
    this.clustersTree.attach(view);
    this.contextStatus = this.push(new ContextStatusBar(this.cluster, (context) => this.isProduction(context)));
    this.deployUi = this.push(new DeployUi());
    this.logTails = this.push(new LogTails(this.config));
    // A new pattern may make the current context production (or not): say so now, and warn again if invalid.
    this.push(
      this.config.onDidChange(['productionContextPattern'], () => {
        this.warnedPattern = false;
        this.contextStatus.update();
      }),
    );
    // Trust changes what may run (exec credential plugins): read the kubeconfig again.
    this.push(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.cluster.reload();
        if (this.client.isRunning()) void this.client.sendNotification(WorkspaceTrustedNotification.type);
      }),
    );
    this.push(
      view.onDidChangeVisibility((event) => {
        if (event.visible) this.contextStatus.update();
      }),
    );
  }

  async start(): Promise<void> {
    await this.client.start();
  }

  /** An invalid pattern counts every context as production, and says so once. */
  isProduction(context: string): boolean {
    const check = this.cluster.kube.checkProductionContext(context, this.config.productionContextPattern);
    if (check.patternError && !this.warnedPattern) {
      this.warnedPattern = true;
      void vscode.window.showWarningMessage(`Fintech K8s: ${check.patternError}`);
    }
    return check.production;
  }

  private warnedPattern = false;

  push<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  async dispose(): Promise<void> {
    for (const disposable of this.disposables.splice(0).reverse()) disposable.dispose();
    await this.client.stop();
  }
}
