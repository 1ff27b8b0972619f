// "Rollback Release": a Helm release (from its node in the Clusters view, a revision node, or the palette)
// back to a chosen revision of its history with `helm rollback --wait`: trusted workspace only, with the
// production confirmation, the cluster named explicitly to helm.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { HelmRelease, HelmRevision } from '../kube';
import { findProgram } from '../../lib/programs/find-program';
import type { ClusterNode } from '../views/clusters-tree';
import { confirmProduction } from './deploy-steps';

type ReleaseNode = Extract<ClusterNode, { type: 'release' }>;
type RevisionNode = Extract<ClusterNode, { type: 'revision' }>;

export interface RollbackOutcome {
  stage: 'untrusted' | 'no-release' | 'cancelled' | 'rolled-back' | 'failed';
}

export function rollbackRelease(ctx: Ctx) {
  return (node?: ReleaseNode | RevisionNode) => runRollback(ctx, node);
}

async function runRollback(ctx: Ctx, node: ReleaseNode | RevisionNode | undefined): Promise<RollbackOutcome> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage(
      'Fintech K8s: rolling back is disabled in an untrusted workspace (it runs helm). Trust the workspace first.',
    );
    return { stage: 'untrusted' };
  }
  const context = node?.context ?? ctx.cluster.currentContext;
  if (!context) {
    void vscode.window.showErrorMessage('Fintech K8s: no Kubernetes context (KUBECONFIG, ~/.kube/config).');
    return { stage: 'no-release' };
  }
  const namespace = node?.namespace ?? ctx.cluster.namespaceOf(context);
  const kc = ctx.cluster.kubeConfigFor(context);
  const kube = ctx.cluster.kube;

  // Always the history as it is now: the tree may be a moment behind.
  const listed = await kube.listHelmReleases(kc, namespace, { timeoutMs: 15_000 });
  if (!listed.ok) {
    void vscode.window.showErrorMessage(`Fintech K8s: ${listed.error.message}`);
    return { stage: 'no-release' };
  }
  const wanted = node?.type === 'release' ? node.release.name : node?.release;
  const release = wanted ? listed.items.find((r) => r.name === wanted) : await pickRelease(listed.items, namespace);
  if (!release) {
    if (wanted) void vscode.window.showErrorMessage(`Fintech K8s: release ${wanted} is no longer in ${namespace} on ${context}.`);
    else if (listed.items.length === 0) void vscode.window.showErrorMessage(`Fintech K8s: no Helm releases in ${namespace} on ${context}.`);
    return { stage: 'no-release' };
  }
  const revision =
    node?.type === 'revision' ? release.history.find((r) => r.revision === node.revision.revision) : await pickRevision(release);
  if (!revision) return { stage: 'cancelled' };
  if (revision.revision === release.current.revision) {
    void vscode.window.showInformationMessage(
      `Fintech K8s: revision ${revision.revision} is already the current revision of ${release.name}.`,
    );
    return { stage: 'cancelled' };
  }
  if (
    !(await confirmProduction(
      ctx,
      context,
      `Roll back ${release.name} to revision ${revision.revision} on "${context}"?`,
      `Namespace: ${namespace}.`,
      `Roll back on ${context}`,
    ))
  )
    return { stage: 'cancelled' };

  const helm = findProgram('helm', ctx.config.helmPath);
  if (!helm) {
    void vscode.window.showErrorMessage('Fintech K8s: helm was not found: set fintechK8s.helm.path or put helm on PATH.');
    return { stage: 'failed' };
  }
  const timeoutSeconds = ctx.config.helmTimeoutSeconds;
  // Not cancellable: a rollback stopped half-way leaves the release pending.
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Fintech K8s: rolling ${release.name} back to revision ${revision.revision} on ${context}`,
    },
    () =>
      kube.helmRollback(helm, {
        release: release.name,
        revision: revision.revision,
        target: { kubeconfigFiles: ctx.cluster.kubeconfigFiles(), context, namespace },
        timeoutSeconds,
      }),
  );
  const output = ctx.deployUi.output;
  if (!result.ok) {
    output.appendLine(`helm rollback ${release.name} ${revision.revision} on ${context}: failed: ${result.message}`);
    void vscode.window.showErrorMessage(
      `Fintech K8s: rollback of ${release.name} to revision ${revision.revision} failed: ${result.message}`,
    );
    return { stage: 'failed' };
  }
  output.appendLine(
    `Helm release ${namespace}/${release.name} on ${context}: rolled back to revision ${revision.revision} (as a new revision)`,
  );
  void vscode.window.showInformationMessage(`Fintech K8s: ${release.name} rolled back to revision ${revision.revision} on ${context}.`);
  return { stage: 'rolled-back' };
}

async function pickRelease(releases: readonly HelmRelease[], namespace: string): Promise<HelmRelease | undefined> {
  if (releases.length === 0) return undefined;
  const picked = await vscode.window.showQuickPick(
    releases.map((release) => ({ label: release.name, description: describe(release.current), release })),
    { title: `Fintech K8s: the release in ${namespace} to roll back` },
  );
  return picked?.release;
}

async function pickRevision(release: HelmRelease): Promise<HelmRevision | undefined> {
  const older = release.history.filter((r) => r.revision !== release.current.revision);
  if (older.length === 0) {
    void vscode.window.showInformationMessage(`Fintech K8s: ${release.name} has no earlier revision to roll back to.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    older.map((revision) => ({
      label: `rev ${revision.revision}`,
      description: describe(revision),
      detail: revision.description,
      revision,
    })),
    { title: `Fintech K8s: roll ${release.name} back to (current: rev ${release.current.revision}, ${release.current.status})` },
  );
  return picked?.revision;
}

function describe(revision: HelmRevision): string {
  return [revision.status, `${revision.chart}-${revision.chartVersion}`, revision.updated].filter(Boolean).join(' · ');
}
