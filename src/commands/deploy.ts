// "Fintech K8s: Deploy Current File" / "Deploy Selection": policy gate (the language server's rules) →
// production confirmation → server-side dry run (errors on their lines) → diff against live → server-side
// apply in dependency order → rollout. Each step can stop the deploy; nothing is applied before "Apply".
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { ApplyReport, DeployPlan } from '../kube';
import { AnalyzeRequest, type AnalyzedFinding } from '../../server/protocol';
import {
  confirmDiff,
  confirmProduction,
  dryRunAndDiff,
  failureDiagnostics,
  logDryRunFailures,
  applyAndRollout,
  overrideGate,
  RANK,
  toRange,
} from './deploy-steps';

const DIFF_SCHEME = 'fintech-k8s-diff';

export interface DeployOutcome {
  stage: 'untrusted' | 'no-context' | 'gate' | 'cancelled' | 'plan' | 'dry-run' | 'applied' | 'apply-failed';
  report?: ApplyReport;
}

/** Shared by both commands: the diff documents, deploy diagnostics and the output channel. */
export class DeployUi implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('fintech-k8s-deploy');
  readonly output = vscode.window.createOutputChannel('Fintech K8s Deploy');
  private readonly documents = new Map<string, string>();
  private readonly provider = vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, {
    provideTextDocumentContent: (uri) => this.documents.get(uri.path) ?? '',
  });
  /** A diff's text is kept until VS Code closes its document, not for the rest of the session. */
  private readonly closing = vscode.workspace.onDidCloseTextDocument((document) => {
    if (document.uri.scheme === DIFF_SCHEME) this.documents.delete(document.uri.path);
  });

  diffUri(name: string, text: string): vscode.Uri {
    this.documents.set(`/${name}`, text);
    return vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${name}` });
  }

  dispose(): void {
    this.diagnostics.dispose();
    this.output.dispose();
    this.provider.dispose();
    this.closing.dispose();
    this.documents.clear();
  }
}

export function deployFile(ctx: Ctx) {
  return (uri?: vscode.Uri) => runDeploy(ctx, uri, false);
}

export function deploySelection(ctx: Ctx) {
  return () => runDeploy(ctx, undefined, true);
}

async function runDeploy(ctx: Ctx, uri: vscode.Uri | undefined, selectionOnly: boolean): Promise<DeployOutcome> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage('Fintech K8s: deploying is disabled in an untrusted workspace. Trust the workspace to deploy.');
    return { stage: 'untrusted' };
  }
  const manifest = await manifestToDeploy(uri, selectionOnly);
  if (!manifest) {
    void vscode.window.showErrorMessage('Fintech K8s: open a manifest to deploy.');
    return { stage: 'plan' };
  }
  const { document, text, origin } = manifest;
  const ui = ctx.deployUi;
  ui.diagnostics.delete(document.uri);

  const context = ctx.cluster.currentContext;
  if (!context) {
    void vscode.window.showErrorMessage('Fintech K8s: no Kubernetes context to deploy to (KUBECONFIG, ~/.kube/config).');
    return { stage: 'no-context' };
  }
  const namespace = ctx.cluster.namespaceOf(context);

  // 1. The policy gate: the same rules and settings as the editor, via the language server.
  const overrideReason = await gate(ctx, document, text, origin?.line ?? 0);
  if (overrideReason === false) return { stage: 'gate' };

  // 2. Contexts that look like production need a confirmation that names them.
  if (!(await confirmProduction(ctx, context, `Deploy to "${context}"?`, `Namespace: ${namespace}.`))) return { stage: 'cancelled' };

  const kube = ctx.cluster.kube;
  const kc = ctx.cluster.kubeConfigFor(context);
  const plan = kube.planDeploy(text, document.uri.fsPath, { namespace, origin });
  if (plan.errors.length > 0 || plan.objects.length === 0) {
    showPlanErrors(ui, document, plan);
    return { stage: 'plan' };
  }

  // 3. Server-side dry run: the API server's validation and admission, errors on their lines. The diff
  // against the live objects (step 4) comes from the same dry runs, under the same progress notification.
  const { failures, diffs } = await dryRunAndDiff(ctx, kc, context, plan.objects);
  if (failures.length > 0) {
    ui.diagnostics.set(document.uri, failures.flatMap(failureDiagnostics));
    logDryRunFailures(ctx, context, plan.objects.length, failures);
    return { stage: 'dry-run' };
  }

  // 4. The diff, then an explicit Apply.
  const changed = diffs.filter((d) => d.changed);
  if (changed.length === 0) {
    void vscode.window.showInformationMessage(
      `Fintech K8s: ${context} already matches these ${plan.objects.length} object(s); nothing to apply.`,
    );
    return { stage: 'applied' };
  }
  const question = `Apply ${plan.objects.length} object(s) to ${context} (${changed.length} changed)?`;
  if (!(await confirmDiff(ctx, context, diffs, question, 'Apply'))) return { stage: 'cancelled' };

  // 5. Server-side apply in dependency order, then wait for the rollout.
  const report = await applyAndRollout(ctx, kc, context, plan.objects, overrideReason);
  if (report.failed) ui.diagnostics.set(document.uri, failureDiagnostics({ ...report.failed.failure, planned: report.failed.planned }));
  return { stage: report.ok ? 'applied' : 'apply-failed', report };
}

/** The file, or the selection in the active editor, with where the selection starts (for line numbers). */
async function manifestToDeploy(uri: vscode.Uri | undefined, selectionOnly: boolean) {
  const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document) return undefined;
  const selection = selectionOnly ? vscode.window.activeTextEditor?.selection : undefined;
  const range = selection && !selection.isEmpty ? new vscode.Range(selection.start, selection.end) : undefined;
  const origin = range ? { line: range.start.line, character: range.start.character, offset: document.offsetAt(range.start) } : undefined;
  return { document, text: document.getText(range), origin };
}

function showPlanErrors(ui: DeployUi, document: vscode.TextDocument, plan: DeployPlan): void {
  ui.diagnostics.set(
    document.uri,
    plan.errors.map((e) => new vscode.Diagnostic(toRange(e.range), e.message, vscode.DiagnosticSeverity.Error)),
  );
  void vscode.window.showErrorMessage(
    plan.objects.length === 0
      ? 'Fintech K8s: no Kubernetes objects to deploy.'
      : `Fintech K8s: ${plan.errors.length} manifest error(s); nothing was deployed.`,
  );
}

/** Returns the override reason ('' when nothing blocked), or false when the deploy stops here. */
async function gate(ctx: Ctx, document: vscode.TextDocument, text: string, lineOffset: number): Promise<string | false> {
  const result = await ctx.client.sendRequest(AnalyzeRequest.type, { uri: document.uri.toString(), text });
  // What the engine could not analyse is not clean (a YAML error, a chart template): only notes pass.
  const unanalysed = result.problems.find((p) => p.severity !== 'info');
  if (unanalysed) {
    void vscode.window.showErrorMessage(
      `Fintech K8s: the manifest cannot be analysed (${unanalysed.message}, line ${unanalysed.line + lineOffset + 1}); nothing was deployed.`,
    );
    return false;
  }
  const threshold = ctx.config.deployGateSeverity(document.uri);
  const blocking = result.findings.filter((f) => !f.suppressed && RANK[f.severity] >= RANK[threshold]);
  if (blocking.length === 0) return '';
  const lines = blocking.map((f) => describeFinding(f, lineOffset));
  return overrideGate(blocking.length, threshold, lines, 'on every applied object (annotation fintech-k8s.io/deploy-override-reason)');
}

function describeFinding(finding: AnalyzedFinding, lineOffset: number): string {
  return `line ${finding.range.start.line + lineOffset + 1}: [${finding.ruleId}] ${finding.message}`;
}
