// "Fintech K8s: Tail Logs" on a pod, a container or a workload (all its pods): one output channel per
// request, lines prefixed [pod/container], redacted by default; "Stop Tailing Logs" ends one or all.
import * as vscode from 'vscode';
import type { Config } from '../config';
import type { Ctx } from '../ctx';
import type { ClusterNode } from '../views/clusters-tree';

interface Preset {
  label: string;
  follow: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps: boolean;
}

const PRESETS: Preset[] = [
  { label: 'Follow, from the last 100 lines', follow: true, tailLines: 100, timestamps: false },
  { label: 'Follow, from the last 100 lines, with timestamps', follow: true, tailLines: 100, timestamps: true },
  { label: 'Follow, from the last 15 minutes', follow: true, sinceSeconds: 900, timestamps: false },
  { label: 'Last hour, without following', follow: false, sinceSeconds: 3600, timestamps: true },
  { label: 'Last 1000 lines, without following', follow: false, tailLines: 1000, timestamps: false },
];

type LogTarget = { namespace: string; pod: string; container?: string } | { namespace: string; labelSelector: string };

export class LogTails implements vscode.Disposable {
  /** Tails still streaming; a tail leaves when it ends, however it ends. */
  private readonly running = new Map<string, AbortController>();
  /** One output channel per title, reused when the same target is tailed again. */
  private readonly channels = new Map<string, vscode.OutputChannel>();
  /** fintechK8s.logs.redact, kept current: running tails ask it per line. */
  private redacting: boolean;
  private readonly settingListener: vscode.Disposable;

  constructor(config: Config) {
    this.redacting = config.redactLogs;
    this.settingListener = config.onDidChange(['logs.redact'], () => (this.redacting = config.redactLogs));
  }

  readonly redact = (): boolean => this.redacting;

  start(title: string, run: (channel: vscode.OutputChannel, signal: AbortSignal) => Promise<void>): string {
    this.running.get(title)?.abort();
    let channel = this.channels.get(title);
    if (!channel) this.channels.set(title, (channel = vscode.window.createOutputChannel(`Fintech K8s Logs: ${title}`)));
    const controller = new AbortController();
    this.running.set(title, controller);
    channel.show(true);
    void run(channel, controller.signal)
      .catch((error) => channel.appendLine(`[fintech-k8s] ${(error as Error).message}`))
      .finally(() => {
        // A newer tail of the same target may have taken the title over; it is still running.
        if (this.running.get(title) !== controller) return;
        this.running.delete(title);
        if (!controller.signal.aborted) channel.appendLine('[fintech-k8s] log tail ended');
      });
    return title;
  }

  titles(): string[] {
    return [...this.running.keys()];
  }

  stop(title: string): void {
    const controller = this.running.get(title);
    if (!controller) return;
    this.running.delete(title);
    controller.abort();
    this.channels.get(title)?.appendLine('[fintech-k8s] stopped');
  }

  dispose(): void {
    this.settingListener.dispose();
    for (const controller of this.running.values()) controller.abort();
    for (const channel of this.channels.values()) channel.dispose();
    this.running.clear();
    this.channels.clear();
  }
}

export function tailLogs(ctx: Ctx) {
  return async (node?: ClusterNode, presetIndex?: number): Promise<string | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('Fintech K8s: reading pod logs is disabled in an untrusted workspace.');
      return undefined;
    }
    const context = node && 'context' in node ? node.context : ctx.cluster.currentContext;
    if (!context) return undefined;
    const target = node ? targetOf(node) : await pickPod(ctx, context);
    if (!target) return undefined;
    const preset =
      presetIndex !== undefined
        ? PRESETS[presetIndex]
        : ((await vscode.window.showQuickPick(PRESETS, { title: 'Tail logs' })) ?? undefined);
    if (!preset) return undefined;
    const kube = ctx.cluster.kube;
    const kc = ctx.cluster.kubeConfigFor(context);
    const title = `${context}/${target.namespace}/${'pod' in target ? target.pod + (target.container ? `/${target.container}` : '') : target.labelSelector}`;
    return ctx.logTails.start(title, (channel, signal) =>
      kube.tailLogs(
        kc,
        target,
        {
          follow: preset.follow,
          tailLines: preset.tailLines,
          sinceSeconds: preset.sinceSeconds,
          timestamps: preset.timestamps,
          redact: ctx.logTails.redact,
        },
        {
          line: (prefix, text) => channel.appendLine(`${prefix} ${text}`),
          status: (message) => channel.appendLine(`[fintech-k8s] ${message}`),
        },
        signal,
      ),
    );
  };
}

export function stopLogs(ctx: Ctx) {
  return async (): Promise<void> => {
    const titles = ctx.logTails.titles();
    if (titles.length === 0) {
      void vscode.window.showInformationMessage('Fintech K8s: no log tail is running.');
      return;
    }
    const picked = titles.length === 1 ? titles[0] : await vscode.window.showQuickPick(['All', ...titles], { title: 'Stop tailing logs' });
    if (!picked) return;
    for (const title of picked === 'All' ? titles : [picked]) ctx.logTails.stop(title);
  };
}

function targetOf(node: ClusterNode): LogTarget | undefined {
  switch (node.type) {
    case 'pod':
      return { namespace: node.namespace, pod: node.pod.name };
    case 'container':
      return { namespace: node.namespace, pod: node.pod, container: node.container.name };
    case 'workload':
      return node.workload.labelSelector ? { namespace: node.namespace, labelSelector: node.workload.labelSelector } : undefined;
    default:
      return undefined;
  }
}

async function pickPod(ctx: Ctx, context: string): Promise<LogTarget | undefined> {
  const namespace = ctx.cluster.namespaceOf(context);
  const pods = await ctx.cluster.kube.listPods(ctx.cluster.kubeConfigFor(context), namespace, { timeoutMs: 15_000 });
  if (!pods.ok) {
    void vscode.window.showErrorMessage(`Fintech K8s: ${pods.error.message}`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    pods.items.map((pod) => ({ label: pod.name, description: `${pod.status} · ${pod.ready}` })),
    { title: `Tail logs: pod in ${context}/${namespace}` },
  );
  return picked ? { namespace, pod: picked.label } : undefined;
}
