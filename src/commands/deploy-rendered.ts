// "Deploy Chart" and "Deploy Overlay": the chart or overlay is rendered and linted by the language server
// (fintechK8s/renderRoot: the real helm/kustomize, the same engine as the editor), findings and dry-run errors
// land on the template, values, base, patch or kustomization line that wrote them. Then: gate → production
// confirmation → server-side dry run of the rendered objects → diff against live (Secrets masked) → for a
// chart `helm upgrade --install --wait` with rollback on failure; for an overlay the server-side apply and
// rollout of Deploy Current File, like `kubectl apply -k`.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { PlannedObject } from '../kube';
import { findProgram } from '../../lib/programs/find-program';
import {
  LocateRenderedRequest,
  RenderRootRequest,
  type RenderedFinding,
  type RenderRootKind,
  type RenderRootResult,
} from '../../server/protocol';
import {
  applyAndRollout,
  confirmDiff,
  confirmProduction,
  dryRunAndDiff,
  logDryRunFailures,
  overrideGate,
  RANK,
  withProgress,
  type DryRunFailure,
} from './deploy-steps';
import { rootFolder } from './root-folder';

export interface RenderedDeployOutcome {
  stage:
    'untrusted' | 'no-root' | 'no-context' | 'render' | 'gate' | 'cancelled' | 'plan' | 'dry-run' | 'unchanged' | 'deployed' | 'failed';
  /** Chart: the revision helm reports. */
  revision?: number;
}

export function deployChart(ctx: Ctx) {
  return (uri?: vscode.Uri) => deployRendered(ctx, 'helm', uri);
}

export function deployOverlay(ctx: Ctx) {
  return (uri?: vscode.Uri) => deployRendered(ctx, 'kustomize', uri);
}

const WHAT: Record<RenderRootKind, string> = { helm: 'chart', kustomize: 'overlay' };

async function deployRendered(ctx: Ctx, kind: RenderRootKind, uri: vscode.Uri | undefined): Promise<RenderedDeployOutcome> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage(
      'Fintech K8s: deploying is disabled in an untrusted workspace (it runs helm or kustomize). Trust the workspace to deploy.',
    );
    return { stage: 'untrusted' };
  }
  const folder = await rootFolder(kind, uri);
  if (!folder) return { stage: 'no-root' };
  const context = ctx.cluster.currentContext;
  if (!context) {
    void vscode.window.showErrorMessage('Fintech K8s: no Kubernetes context to deploy to (KUBECONFIG, ~/.kube/config).');
    return { stage: 'no-context' };
  }
  const targetNamespace = ctx.cluster.namespaceOf(context);
  const ui = ctx.deployUi;
  ui.diagnostics.clear();

  // 1. Render and lint: findings come back on the source lines.
  let rendered: RenderRootResult;
  try {
    rendered = await withProgress(`Rendering ${basename(folder.fsPath)}`, () =>
      ctx.client.sendRequest(RenderRootRequest.type, { uri: folder.toString(), kind, namespace: targetNamespace }),
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`Fintech K8s: the ${WHAT[kind]} could not be rendered: ${(error as Error).message}`);
    return { stage: 'render' };
  }
  const stopping = rendered.problems.filter((p) => p.severity === 'error');
  if (stopping.length > 0 || rendered.manifests.trim() === '') {
    const first = stopping[0] ?? rendered.problems[0];
    setDiagnostics(
      ui,
      stopping.map((p) => ({ uri: p.uri, range: lineRange(p.line), message: p.message, code: p.code })),
    );
    void vscode.window.showErrorMessage(
      first
        ? `Fintech K8s: the ${WHAT[kind]} cannot be deployed: ${first.message} (${where(first.uri, first.line)}). Nothing was deployed.`
        : `Fintech K8s: the ${WHAT[kind]} renders no Kubernetes objects; nothing to deploy.`,
    );
    return { stage: 'render' };
  }

  // A chart's settings (.fintech-k8s.yaml) may name its release's namespace; the render used it.
  const namespace = rendered.helm?.namespace ?? targetNamespace;

  // 2. The policy gate on the rendered objects.
  const threshold = ctx.config.deployGateSeverity(folder);
  const blocking = rendered.findings.filter((f) => !f.suppressed && RANK[f.severity] >= RANK[threshold]);
  let overrideReason = '';
  if (blocking.length > 0) {
    const recordedAs =
      kind === 'helm'
        ? "as the revision's description (helm history)"
        : 'on every applied object (annotation fintech-k8s.io/deploy-override-reason)';
    const reason = await overrideGate(blocking.length, threshold, blocking.map(describeFinding), recordedAs);
    if (reason === false) return { stage: 'gate' };
    overrideReason = reason;
  }

  // 3. Production confirmation.
  const release = kind === 'helm' ? (rendered.helm?.releaseName ?? basename(rendered.dir)) : undefined;
  const target = release ? `Release ${release}, namespace ${namespace}.` : `Namespace: ${namespace}.`;
  if (!(await confirmProduction(ctx, context, `Deploy the ${WHAT[kind]} ${basename(rendered.dir)} to "${context}"?`, target)))
    return { stage: 'cancelled' };

  // 4. Dry run of the rendered objects, errors on their source lines; then the diff against live.
  const kube = ctx.cluster.kube;
  const kc = ctx.cluster.kubeConfigFor(context);
  const plan = kube.planDeploy(rendered.manifests, `${rendered.dir}/rendered.yaml`, { namespace });
  if (plan.errors.length > 0) {
    void vscode.window.showErrorMessage(`Fintech K8s: the rendered ${WHAT[kind]} is not deployable: ${plan.errors[0].message}`);
    return { stage: 'plan' };
  }
  const { failures, diffs } = await dryRunAndDiff(ctx, kc, context, plan.objects);
  if (failures.length > 0) {
    setDiagnostics(ui, await sourceDiagnostics(ctx, rendered.renderId, failures));
    logDryRunFailures(ctx, context, plan.objects.length, failures);
    return { stage: 'dry-run' };
  }
  const changed = diffs.filter((d) => d.changed);
  if (changed.length === 0 && kind === 'kustomize') {
    void vscode.window.showInformationMessage(
      `Fintech K8s: ${context} already matches these ${plan.objects.length} object(s); nothing to apply.`,
    );
    return { stage: 'unchanged' };
  }
  const question = release
    ? `Deploy release ${release} to ${context} (${changed.length} of ${plan.objects.length} object(s) changed)?`
    : `Apply ${plan.objects.length} object(s) to ${context} (${changed.length} changed)?`;
  const verb = release ? 'Deploy' : 'Apply';
  if (!(await confirmDiff(ctx, context, diffs, question, verb))) return { stage: 'cancelled' };

  // 5. Deploy.
  if (!release) {
    const report = await applyAndRollout(ctx, kc, context, plan.objects, overrideReason);
    if (report.failed)
      setDiagnostics(ui, await sourceDiagnostics(ctx, rendered.renderId, [{ ...report.failed.failure, planned: report.failed.planned }]));
    return { stage: report.ok ? 'deployed' : 'failed' };
  }
  return helmDeploy(ctx, context, namespace, release, rendered, plan.objects, overrideReason);
}

async function helmDeploy(
  ctx: Ctx,
  context: string,
  namespace: string,
  release: string,
  rendered: RenderRootResult,
  objects: readonly PlannedObject[],
  overrideReason: string,
): Promise<RenderedDeployOutcome> {
  const kube = ctx.cluster.kube;
  const helm = findProgram('helm', ctx.config.helmPath);
  if (!helm) {
    void vscode.window.showErrorMessage(
      'Fintech K8s: helm was not found: set fintechK8s.helm.path or put helm on PATH. Nothing was deployed.',
    );
    return { stage: 'failed' };
  }
  const output = ctx.deployUi.output;
  const timeoutSeconds = ctx.config.helmTimeoutSeconds;
  const started = Date.now();
  // Not cancellable: stopping helm half-way leaves the release pending, blocking the next upgrade.
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Fintech K8s: helm upgrade --install ${release} on ${context}`,
      cancellable: false,
    },
    async (progress) => {
      // helm --wait says nothing until it is done: the workloads' own rollout status shows how it goes.
      const watching = new AbortController();
      const states = new Map<string, string>();
      const workloads = objects.map((o) => ({ kind: o.kind, name: o.name, namespace: o.namespace }));
      void kube
        .waitForRollout(ctx.cluster.kubeConfigFor(context), workloads, {
          signal: watching.signal,
          timeoutMs: timeoutSeconds * 1000,
          onProgress: (s) => states.set(`${s.workload.kind}/${s.workload.name}`, s.message || s.state),
        })
        .catch(() => undefined);
      const timer = setInterval(() => {
        const rollout = [...states].map(([workload, state]) => `${workload}: ${state}`).join('; ');
        progress.report({
          message: `${Math.round((Date.now() - started) / 1000)} s of at most ${timeoutSeconds} s${rollout ? ` · ${rollout}` : ''}`,
        });
      }, 1000);
      try {
        const helmMajor = await kube.helmMajorVersion(helm);
        return await kube.helmUpgradeInstall(helm, {
          release,
          chartDir: rendered.dir,
          target: { kubeconfigFiles: ctx.cluster.kubeconfigFiles(), context, namespace },
          helmMajor,
          valuesFiles: rendered.helm?.valuesFiles,
          set: rendered.helm?.set,
          timeoutSeconds,
          description: overrideReason ? `Deploy anyway: ${overrideReason}` : undefined,
        });
      } catch (error) {
        return { ok: false as const, message: (error as Error).message, rolledBack: false };
      } finally {
        clearInterval(timer);
        watching.abort();
      }
    },
  );
  if (!result.ok) {
    output.appendLine(
      `helm upgrade --install ${release} on ${context}: failed${result.rolledBack ? ', rolled back' : ''}: ${result.message}`,
    );
    void vscode.window.showErrorMessage(
      `Fintech K8s: release ${release} was not deployed to ${context}${result.rolledBack ? ' and was rolled back to its last good revision' : ''}: ${result.message}`,
    );
    return { stage: 'failed' };
  }
  output.appendLine(`Helm release ${result.namespace}/${result.release} on ${context}: revision ${result.revision} ${result.status}`);
  for (const object of result.objects.length ? result.objects : objects)
    output.appendLine(`  ✓ ${kube.describeObject({ kind: object.kind, name: object.name, namespace: object.namespace ?? namespace })}`);
  output.show(true);
  void vscode.window.showInformationMessage(
    `Fintech K8s: release ${result.release} revision ${result.revision} deployed to ${context} (${result.objects.length || objects.length} object(s)).`,
  );
  return { stage: 'deployed', revision: result.revision };
}

/** Dry-run causes → diagnostics on the template, values, patch or kustomization lines that wrote the fields. */
async function sourceDiagnostics(ctx: Ctx, renderId: string, failures: readonly DryRunFailure[]): Promise<SourceDiagnostic[]> {
  const kube = ctx.cluster.kube;
  const causes = failures.flatMap((failure) =>
    (failure.causes.length > 0 ? failure.causes : [{ message: failure.message, field: undefined }]).map((cause) => ({
      failure,
      message: cause.message,
      docIndex: failure.planned.docIndex,
      path: cause.field ? kube.fieldPathOf(failure.planned, cause.field) : [],
    })),
  );
  const { locations } = await ctx.client.sendRequest(LocateRenderedRequest.type, {
    renderId,
    locations: causes.map(({ docIndex, path }) => ({ docIndex, path })),
  });
  return causes.flatMap((cause, i) => {
    const location = locations[i];
    if (!location) return [];
    return [
      {
        uri: location.uri,
        range: location.range,
        message: `${kube.describeObject(cause.failure.planned)}: ${cause.message}`,
        code: cause.failure.category,
      },
    ];
  });
}

interface SourceDiagnostic {
  uri: string;
  range: RenderedFinding['range'];
  message: string;
  code: string;
}

function setDiagnostics(ui: Ctx['deployUi'], diagnostics: readonly SourceDiagnostic[]): void {
  const byUri = new Map<string, vscode.Diagnostic[]>();
  for (const d of diagnostics) {
    const diagnostic = new vscode.Diagnostic(
      new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character),
      d.message,
      vscode.DiagnosticSeverity.Error,
    );
    diagnostic.source = 'fintech-k8s deploy';
    diagnostic.code = d.code;
    byUri.set(d.uri, [...(byUri.get(d.uri) ?? []), diagnostic]);
  }
  for (const [uri, list] of byUri) ui.diagnostics.set(vscode.Uri.parse(uri), list);
}

function describeFinding(finding: RenderedFinding): string {
  return `${where(finding.uri, finding.range.start.line)}: [${finding.ruleId}] ${finding.message}`;
}

function where(uri: string, line: number): string {
  return `${vscode.workspace.asRelativePath(vscode.Uri.parse(uri))}:${line + 1}`;
}

function lineRange(line: number): RenderedFinding['range'] {
  return { start: { line, character: 0 }, end: { line, character: Number.MAX_SAFE_INTEGER } };
}
