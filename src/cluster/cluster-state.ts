// Which cluster the extension talks to: the kubeconfig as kubectl reads it, and the context and namespace
// chosen in the extension. Switching here never rewrites the user's kubeconfig file.
import * as vscode from 'vscode';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKube, type KubeModule } from '../kube-loader';
import type { ContextInfo, LoadedKubeConfig } from '../kube';

export class ClusterState implements vscode.Disposable {
  private loaded: LoadedKubeConfig | undefined;
  private selected: { context?: string; namespace?: string } = {};
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly extensionPath: string) {}

  get kube(): KubeModule {
    return loadKube(this.extensionPath);
  }

  /** Re-reads the kubeconfig files (after a change on disk or a trust change). */
  reload(): void {
    this.loaded = undefined;
    this.changed.fire();
  }

  private get config(): LoadedKubeConfig {
    if (!this.loaded) {
      // Credential plugins run commands: only in a trusted workspace.
      this.loaded = this.kube.loadKubeConfig({ allowExecAuth: vscode.workspace.isTrusted });
    }
    return this.loaded;
  }

  contexts(): ContextInfo[] {
    return this.config.contexts;
  }

  problems(): string[] {
    return this.config.problems;
  }

  get currentContext(): string | undefined {
    return this.selected.context ?? this.config.currentContext;
  }

  /** The kubeconfig files read (precedence order), for helm, which must see the same configuration. */
  kubeconfigFiles(): string[] {
    return this.config.files;
  }

  /** The namespace commands default to: chosen here, else the context's, else default. */
  namespaceOf(context: string | undefined = this.currentContext): string {
    if (context && context === this.currentContext && this.selected.namespace) return this.selected.namespace;
    return this.contexts().find((c) => c.name === context)?.namespace ?? 'default';
  }

  use(context: string, namespace?: string): void {
    this.selected = { context, namespace };
    this.changed.fire();
  }

  /** A KubeConfig pointed at the context (the current one by default), in memory only. */
  kubeConfigFor(context: string | undefined = this.currentContext): KubeConfig {
    const config = this.config;
    if (!context) throw new Error('No Kubernetes context: the kubeconfig has none (KUBECONFIG, ~/.kube/config).');
    const namespace = context === this.currentContext ? this.selected.namespace : undefined;
    return this.kube.withContext(config, context, namespace).kubeConfig;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
