// Cluster commands: refresh the Clusters view, switch context or namespace (in the extension only: the
// user's kubeconfig file is not rewritten).
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { ClusterNode } from '../views/clusters-tree';

export function refreshClusters(ctx: Ctx) {
  return (): void => {
    ctx.cluster.reload();
  };
}

export function switchContext(ctx: Ctx) {
  return async (node?: ClusterNode): Promise<string | undefined> => {
    let context = node?.type === 'context' ? node.context : undefined;
    if (!context) {
      const picked = await vscode.window.showQuickPick(
        ctx.cluster.contexts().map((c) => ({
          label: c.name,
          description: [c.name === ctx.cluster.currentContext ? 'current' : '', c.namespace ?? ''].filter(Boolean).join(' · '),
          detail: c.server,
        })),
        { title: 'Fintech K8s: switch context (the kubeconfig file is not changed)' },
      );
      context = picked?.label;
    }
    if (!context) return undefined;
    ctx.cluster.use(context);
    return context;
  };
}

export function switchNamespace(ctx: Ctx) {
  return async (node?: ClusterNode): Promise<string | undefined> => {
    const context = node && 'context' in node ? node.context : ctx.cluster.currentContext;
    if (!context) return undefined;
    let namespace = node?.type === 'namespace' ? node.namespace : undefined;
    if (!namespace) {
      const result = await ctx.cluster.kube.listNamespaces(ctx.cluster.kubeConfigFor(context), {
        fallbackNamespace: ctx.cluster.namespaceOf(context),
        timeoutMs: 15_000,
      });
      const items = result.ok ? result.items.map((ns) => ns.name) : [];
      namespace = await vscode.window.showQuickPick(items.length ? items : [ctx.cluster.namespaceOf(context)], {
        title: `Namespace in ${context}`,
      });
    }
    if (!namespace) return undefined;
    ctx.cluster.use(context, namespace);
    return namespace;
  };
}
