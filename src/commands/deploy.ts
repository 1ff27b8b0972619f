// "Fintech K8s: Deploy Current File" / "Deploy Selection": policy gate (the language server's rules) →
// production confirmation → server-side dry run (errors on their lines) → diff against live → server-side
// apply in dependency order → rollout. Each step can stop the deploy; nothing is applied before "Apply".
import * as vscode from 'vscode';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Ctx } from '../ctx';
import type { ApplyReport, DryRunOutcome, ObjectDiff, PlannedObject, SourceRange } from '../kube';
import { AnalyzeRequest, type AnalyzedFinding, type SeverityName } from '../../server/protocol';

const RANK: Record<SeverityName, number> = { info: 0, warning: 1, error: 2 };
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

  diffUri(name: string, text: string): vscode.Uri {
    this.documents.set(`/${name}`, text);
    return vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${name}` });
  }

  dispose(): void {
    this.diagnostics.dispose();
    this.output.dispose();
    this.provider.dispose();
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
  const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showErrorMessage('Fintech K8s: open a manifest to deploy.');
    return { stage: 'plan' };
  }
  const selection = selectionOnly ? vscode.window.activeTextEditor?.selection : undefined;
  const range = selection && !selection.isEmpty ? new vscode.Range(selection.start, selection.end) : undefined;
  const text = document.getText(range);
  const origin = range ? { line: range.start.line, character: range.start.character, offset: document.offsetAt(range.start) } : undefined;
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
  if (ctx.isProduction(context)) {
    const answer = await vscode.window.showWarningMessage(
      `Deploy to "${context}"?`,
      {
        modal: true,
        detail: `The context "${context}" looks like production (fintechK8s.productionContextPattern). Namespace: ${namespace}.`,
      },
      `Deploy to ${context}`,
    );
    if (answer !== `Deploy to ${context}`) return { stage: 'cancelled' };
  }

  const kube = ctx.cluster.kube;
  const kc = ctx.cluster.kubeConfigFor(context);
  const plan = kube.planDeploy(text, document.uri.fsPath, { namespace, origin });
  if (plan.errors.length > 0 || plan.objects.length === 0) {
    ui.diagnostics.set(
      document.uri,
      plan.errors.map((e) => new vscode.Diagnostic(toRange(e.range), e.message, vscode.DiagnosticSeverity.Error)),
    );
    void vscode.window.showErrorMessage(
      plan.objects.length === 0
        ? 'Fintech K8s: no Kubernetes objects to deploy.'
        : `Fintech K8s: ${plan.errors.length} manifest error(s); nothing was deployed.`,
    );
    return { stage: 'plan' };
  }

  // 3. Server-side dry run: the API server's validation and admission, errors on their lines. The diff
  // against the live objects (step 4) comes from the same dry runs, under the same progress notification.
  const { dryRun, diffs } = await withProgress(`Dry run and diff on ${context}`, async (signal, progress) => {
    const dryRun = await kube.dryRunPlan(kc, plan.objects, { signal });
    if (dryRun.some((o) => !o.ok && !o.pendingDependency)) return { dryRun, diffs: [] };
    progress.report({ message: 'comparing with the live objects' });
    return { dryRun, diffs: await kube.diffPlan(kc, plan.objects, { signal, dryRuns: dryRun }) };
  });
  const failures = dryRun.filter((o): o is Extract<DryRunOutcome, { ok: false }> => !o.ok && !o.pendingDependency);
  if (failures.length > 0) {
    ui.diagnostics.set(document.uri, failures.flatMap(failureDiagnostics));
    ui.output.appendLine(`Dry run on ${context}: ${failures.length} of ${plan.objects.length} objects rejected`);
    for (const failure of failures) ui.output.appendLine(`  ✗ ${kube.describeObject(failure.planned)}: ${failure.message}`);
    void vscode.window.showErrorMessage(
      `Fintech K8s: the API server rejected ${failures.length} object(s) in the dry run; see the Problems panel. Nothing was applied.`,
    );
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
  await showDiff(ui, context, diffs);
  const answer = await vscode.window.showInformationMessage(
    `Apply ${plan.objects.length} object(s) to ${context} (${changed.length} changed)?`,
    { modal: true, detail: summary(kube.describeObject, diffs) },
    'Apply',
  );
  if (answer !== 'Apply') return { stage: 'cancelled' };

  // 5. Server-side apply in dependency order, then wait for the rollout.
  const report = await withProgress(`Applying to ${context}`, (signal, progress) =>
    kube.applyPlan(kc, plan.objects, {
      signal,
      overrideReason: overrideReason || undefined,
      onProgress: (p) =>
        progress.report({
          message: `${p.index + 1}/${p.total} ${kube.describeObject(p.planned)}`,
          increment: p.result ? 100 / p.total : 0,
        }),
    }),
  );
  logReport(ui.output, context, report, kube.describeObject);
  if (!report.ok) {
    const failed = report.failed;
    if (failed) ui.diagnostics.set(document.uri, failureDiagnostics({ ...failed.failure, planned: failed.planned }));
    const applied = report.applied.map(kube.describeObject).join(', ') || 'nothing';
    const notAttempted = report.notAttempted.map(kube.describeObject).join(', ') || 'nothing';
    void vscode.window.showErrorMessage(
      `Fintech K8s: deploy stopped${failed ? ` at ${kube.describeObject(failed.planned)}: ${failed.failure.message}` : ' (cancelled)'}. Applied: ${applied}. Not applied: ${notAttempted}.`,
    );
    return { stage: 'apply-failed', report };
  }
  await rollout(ctx, kc, context, plan.objects);
  return { stage: 'applied', report };
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
  const threshold = ctx.config.deployGateSeverity;
  const blocking = result.findings.filter((f) => !f.suppressed && RANK[f.severity] >= RANK[threshold]);
  if (blocking.length === 0) return '';
  const answer = await vscode.window.showErrorMessage(
    `${blocking.length} finding(s) at or above "${threshold}" block this deploy.`,
    {
      modal: true,
      detail:
        blocking
          .slice(0, 8)
          .map((f) => describeFinding(f, lineOffset))
          .join('\n') + (blocking.length > 8 ? `\n… and ${blocking.length - 8} more` : ''),
    },
    'Deploy anyway…',
  );
  if (answer !== 'Deploy anyway…') {
    void vscode.commands.executeCommand('workbench.actions.view.problems');
    return false;
  }
  const reason = await vscode.window.showInputBox({
    title: 'Deploy anyway: reason',
    prompt: 'Recorded on every applied object (annotation fintech-k8s.io/deploy-override-reason).',
    validateInput: (value) => (value.trim().length < 5 ? 'Give the reason (at least 5 characters).' : undefined),
  });
  return reason ? reason.trim() : false;
}

async function rollout(ctx: Ctx, kc: KubeConfig, context: string, objects: readonly PlannedObject[]): Promise<void> {
  const kube = ctx.cluster.kube;
  const workloads = objects.map((o) => ({ kind: o.kind, name: o.name, namespace: o.namespace }));
  const statuses = await withProgress(`Waiting for the rollout on ${context}`, (signal, progress) =>
    kube.waitForRollout(kc, workloads, {
      signal,
      onProgress: (s) => progress.report({ message: `${s.workload.kind}/${s.workload.name}: ${s.state}` }),
    }),
  );
  const incomplete = statuses.filter((s) => s.state !== 'complete');
  for (const status of statuses)
    ctx.deployUi.output.appendLine(`  rollout ${status.workload.kind}/${status.workload.name}: ${status.state}`);
  if (incomplete.length === 0)
    void vscode.window.showInformationMessage(`Fintech K8s: deployed to ${context}${statuses.length ? ' and rolled out' : ''}.`);
  else
    void vscode.window.showWarningMessage(
      `Fintech K8s: applied to ${context}; rollout not complete for ${incomplete.map((s) => `${s.workload.kind}/${s.workload.name} (${s.state})`).join(', ')}.`,
    );
}

async function showDiff(ui: DeployUi, context: string, diffs: readonly ObjectDiff[]): Promise<void> {
  const stamp = Date.now();
  // An object that does not exist yet gets a comment on the live side, so the documents stay aligned.
  const left = ui.diffUri(
    `${stamp}/live.yaml`,
    diffs.map((d) => d.left || `# ${d.planned.kind} ${d.planned.name}: not in the cluster yet\n`).join('---\n'),
  );
  const right = ui.diffUri(`${stamp}/after-apply.yaml`, diffs.map((d) => d.right).join('---\n'));
  await vscode.commands.executeCommand('vscode.diff', left, right, `${context}: live ↔ after apply`, { preview: true });
}

function summary(describe: (p: PlannedObject) => string, diffs: readonly ObjectDiff[]): string {
  return diffs.map((d) => `${d.live === 'absent' ? 'create' : d.changed ? 'change' : 'unchanged'} ${describe(d.planned)}`).join('\n');
}

function logReport(output: vscode.OutputChannel, context: string, report: ApplyReport, describe: (p: PlannedObject) => string): void {
  output.appendLine(`Apply to ${context}:`);
  for (const result of report.results) {
    if (result.state === 'applied')
      output.appendLine(`  ✓ ${describe(result.planned)} ${result.created ? 'created' : result.changed ? 'changed' : 'unchanged'}`);
    else if (result.state === 'failed') output.appendLine(`  ✗ ${describe(result.planned)}: ${result.failure.message}`);
    else output.appendLine(`  – ${describe(result.planned)}: not applied`);
  }
}

function failureDiagnostics(failure: Extract<DryRunOutcome, { ok: false }>): vscode.Diagnostic[] {
  const causes = failure.causes.length > 0 ? failure.causes : [{ message: failure.message, range: failure.range }];
  return causes.map((cause) => {
    const diagnostic = new vscode.Diagnostic(toRange(cause.range), cause.message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'fintech-k8s deploy';
    diagnostic.code = failure.category;
    return diagnostic;
  });
}

function describeFinding(finding: AnalyzedFinding, lineOffset: number): string {
  return `line ${finding.range.start.line + lineOffset + 1}: [${finding.ruleId}] ${finding.message}`;
}

function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

function withProgress<T>(
  title: string,
  task: (signal: AbortSignal, progress: vscode.Progress<{ message?: string; increment?: number }>) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Fintech K8s: ${title}`, cancellable: true },
    (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return task(controller.signal, progress);
    },
  );
}
