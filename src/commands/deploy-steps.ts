// The steps every deploy command shares (a file, a selection, a chart, an overlay): the production
// confirmation, the "Deploy anyway" override, dry run + diff under one progress, the diff editor, the apply
// log and the rollout wait.
import * as vscode from 'vscode';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Ctx } from '../ctx';
import type { ApplyReport, DryRunOutcome, ObjectDiff, PlannedObject, SourceRange } from '../kube';
import type { SeverityName } from '../../server/protocol';
import type { DeployUi } from './deploy';

export const RANK: Record<SeverityName, number> = { info: 0, warning: 1, error: 2 };

export type DryRunFailure = Extract<DryRunOutcome, { ok: false }>;

/** Contexts that look like production need a confirmation that names them. False: the user declined. */
export async function confirmProduction(
  ctx: Ctx,
  context: string,
  question: string,
  detail: string,
  button = `Deploy to ${context}`,
): Promise<boolean> {
  if (!ctx.isProduction(context)) return true;
  const answer = await vscode.window.showWarningMessage(
    question,
    { modal: true, detail: `The context "${context}" looks like production (fintechK8s.productionContextPattern). ${detail}` },
    button,
  );
  return answer === button;
}

/** The gate's modal: lines describing what blocks; returns the reason to deploy anyway, or false. */
export async function overrideGate(count: number, threshold: SeverityName, lines: string[], recordedAs: string): Promise<string | false> {
  const answer = await vscode.window.showErrorMessage(
    `${count} finding(s) at or above "${threshold}" block this deploy.`,
    {
      modal: true,
      detail: lines.slice(0, 8).join('\n') + (lines.length > 8 ? `\n… and ${lines.length - 8} more` : ''),
    },
    'Deploy anyway…',
  );
  if (answer !== 'Deploy anyway…') {
    void vscode.commands.executeCommand('workbench.actions.view.problems');
    return false;
  }
  const reason = await vscode.window.showInputBox({
    title: 'Deploy anyway: reason',
    prompt: `Recorded ${recordedAs}.`,
    validateInput: (value) => (value.trim().length < 5 ? 'Give the reason (at least 5 characters).' : undefined),
  });
  return reason ? reason.trim() : false;
}

/** Server-side dry run, then (when nothing was rejected) the diff from the same dry runs, under one progress. */
export async function dryRunAndDiff(
  ctx: Ctx,
  kc: KubeConfig,
  context: string,
  objects: readonly PlannedObject[],
): Promise<{ failures: DryRunFailure[]; diffs: ObjectDiff[] }> {
  const kube = ctx.cluster.kube;
  const { dryRun, diffs } = await withProgress(`Dry run and diff on ${context}`, async (signal, progress) => {
    const dryRun = await kube.dryRunPlan(kc, objects, { signal });
    if (dryRun.some((o) => !o.ok && !o.pendingDependency)) return { dryRun, diffs: [] };
    progress.report({ message: 'comparing with the live objects' });
    return { dryRun, diffs: await kube.diffPlan(kc, objects, { signal, dryRuns: dryRun }) };
  });
  return { failures: dryRun.filter((o): o is DryRunFailure => !o.ok && !o.pendingDependency), diffs };
}

export function logDryRunFailures(ctx: Ctx, context: string, total: number, failures: readonly DryRunFailure[]): void {
  const output = ctx.deployUi.output;
  output.appendLine(`Dry run on ${context}: ${failures.length} of ${total} objects rejected`);
  for (const failure of failures) output.appendLine(`  ✗ ${ctx.cluster.kube.describeObject(failure.planned)}: ${failure.message}`);
  void vscode.window.showErrorMessage(
    `Fintech K8s: the API server rejected ${failures.length} object(s) in the dry run; see the Problems panel. Nothing was applied.`,
  );
}

/** Shows the diff and asks for the explicit go-ahead; `verb` names what happens next (Apply, Install). */
export async function confirmDiff(
  ctx: Ctx,
  context: string,
  diffs: readonly ObjectDiff[],
  question: string,
  verb: string,
): Promise<boolean> {
  await showDiff(ctx.deployUi, context, diffs);
  const answer = await vscode.window.showInformationMessage(
    question,
    { modal: true, detail: summary(ctx.cluster.kube.describeObject, diffs) },
    verb,
  );
  return answer === verb;
}

/** Server-side apply in dependency order (the override reason recorded on each object), then the rollout wait. */
export async function applyAndRollout(
  ctx: Ctx,
  kc: KubeConfig,
  context: string,
  objects: readonly PlannedObject[],
  overrideReason: string,
): Promise<ApplyReport> {
  const kube = ctx.cluster.kube;
  const report = await withProgress(`Applying to ${context}`, (signal, progress) =>
    kube.applyPlan(kc, objects, {
      signal,
      overrideReason: overrideReason || undefined,
      onProgress: (p) =>
        progress.report({
          message: `${p.index + 1}/${p.total} ${kube.describeObject(p.planned)}`,
          increment: p.result ? 100 / p.total : 0,
        }),
    }),
  );
  logReport(ctx.deployUi.output, context, report, kube.describeObject);
  if (!report.ok) {
    const failed = report.failed;
    const applied = report.applied.map(kube.describeObject).join(', ') || 'nothing';
    const notAttempted = report.notAttempted.map(kube.describeObject).join(', ') || 'nothing';
    void vscode.window.showErrorMessage(
      `Fintech K8s: deploy stopped${failed ? ` at ${kube.describeObject(failed.planned)}: ${failed.failure.message}` : ' (cancelled)'}. Applied: ${applied}. Not applied: ${notAttempted}.`,
    );
    return report;
  }
  await rollout(ctx, kc, context, objects);
  return report;
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

export function failureDiagnostics(failure: DryRunFailure): vscode.Diagnostic[] {
  const causes = failure.causes.length > 0 ? failure.causes : [{ message: failure.message, range: failure.range }];
  return causes.map((cause) => {
    const diagnostic = new vscode.Diagnostic(toRange(cause.range), cause.message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'fintech-k8s deploy';
    diagnostic.code = failure.category;
    return diagnostic;
  });
}

export function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function withProgress<T>(
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
