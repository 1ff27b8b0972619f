// What the extension-host tests share: the extension under test, the workspace (a temp copy of examples/),
// the CLI of the same build as the engine's verdict, and diagnostics in one comparable shape.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionTestApi } from '../../../../src/extension';
import { DIAGNOSTIC_SOURCE } from '../../../../server/protocol';
import { expectEventually } from '../../../e2e/support/poll';

export const EXTENSION_ID = 'fintech-k8s.fintech-k8s';

/** Generous bounds for a busy 2-core machine: every wait ends as soon as its state is reached. */
export const WAIT = { timeout: 90_000, interval: 100 };

export function extension(): vscode.Extension<ExtensionTestApi | undefined> {
  const found = vscode.extensions.getExtension<ExtensionTestApi | undefined>(EXTENSION_ID);
  if (!found) throw new Error(`${EXTENSION_ID} is not loaded in this extension host (extensionDevelopmentPath)`);
  return found;
}

/** Activates the extension (if a test runs alone) and returns what it gives its tests. */
export async function testApi(): Promise<ExtensionTestApi> {
  const api = await extension().activate();
  if (!api) throw new Error('the extension returned no test API: is it running in ExtensionMode.Test?');
  return api;
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder: the runner opens a copy of examples/');
  return folder.uri.fsPath;
}

export function workspaceFile(relativePath: string): vscode.Uri {
  return vscode.Uri.file(resolve(workspaceRoot(), relativePath));
}

export async function openYaml(relativePath: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(relativePath));
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

// ---------------------------------------------------------------------------------------------------
// The CLI's verdict

type Severity = 'error' | 'warning' | 'info';

interface CliRange {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface CliFinding extends CliRange {
  ruleId: string;
  severity: Severity;
  message: string;
  fixable: boolean;
  related?: (CliRange & { file: string; message: string })[];
  suppressed?: unknown;
}

export interface CliFile {
  file: string;
  findings: CliFinding[];
  problems: (CliRange & { code: string; severity: Severity; message: string })[];
}

export interface CliReport {
  files: CliFile[];
  summary: { files: number; findings: Record<Severity, number> };
}

/**
 * `fintech-k8s scan <workspace> --format json` with the CLI of the extension's own build (exit 1 just
 * means findings). ELECTRON_RUN_AS_NODE: on a desktop VS Code, process.execPath is Electron.
 */
export function cliScan(): CliReport {
  const root = workspaceRoot();
  const cli = resolve(extension().extensionPath, 'dist', 'cli.js');
  const result = spawnSync(process.execPath, [cli, 'scan', '.', '--format', 'json'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0 && result.status !== 1) throw new Error(`fintech-k8s scan exited with ${result.status}: ${result.stderr}`);
  const report = JSON.parse(result.stdout) as CliReport;
  for (const file of report.files) file.file = resolve(root, file.file);
  return report;
}

export function cliFile(report: CliReport, uri: vscode.Uri): CliFile {
  const file = report.files.find((entry) => entry.file === uri.fsPath);
  if (!file) throw new Error(`the CLI scanned no ${uri.fsPath}`);
  return file;
}

// ---------------------------------------------------------------------------------------------------
// One shape for both sides: zero-based [line, character, line, character] ranges, severities by name

export interface Comparable {
  code: string;
  severity: Severity;
  message: string;
  range: [number, number, number, number];
  related: { file: string; message: string; range: [number, number, number, number] }[];
}

const SEVERITY: Record<number, Severity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
};

function rangeOf(r: vscode.Range): [number, number, number, number] {
  return [r.start.line, r.start.character, r.end.line, r.end.character];
}

function cliRange(r: CliRange): [number, number, number, number] {
  return [r.startLine - 1, r.startColumn - 1, r.endLine - 1, r.endColumn - 1];
}

function sorted(items: Comparable[]): Comparable[] {
  return items.sort((a, b) => a.range.join(',').localeCompare(b.range.join(','), 'en', { numeric: true }) || a.code.localeCompare(b.code));
}

export function diagnosticCode(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return String(typeof code === 'object' ? code.value : code);
}

/** The extension's diagnostics of one document, as VS Code's API returns them. */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

export function comparableDiagnostics(uri: vscode.Uri): Comparable[] {
  return sorted(
    ourDiagnostics(uri).map((d) => ({
      code: diagnosticCode(d),
      severity: SEVERITY[d.severity],
      message: d.message,
      range: rangeOf(d.range),
      related: (d.relatedInformation ?? []).map((r) => ({
        file: r.location.uri.fsPath,
        message: r.message,
        range: rangeOf(r.location.range),
      })),
    })),
  );
}

/** What the editor must show for a file: the CLI's unsuppressed findings at or above `threshold`, and its problems. */
export function comparableCli(file: CliFile, threshold: Severity = 'info'): Comparable[] {
  const rank: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
  const root = workspaceRoot();
  return sorted([
    ...file.problems.map((p) => ({ code: p.code, severity: p.severity, message: p.message, range: cliRange(p), related: [] })),
    ...file.findings
      .filter((f) => !f.suppressed && rank[f.severity] >= rank[threshold])
      .map((f) => ({
        code: f.ruleId,
        severity: f.severity,
        message: f.message,
        range: cliRange(f),
        related: (f.related ?? []).map((r) => ({ file: resolve(root, r.file), message: r.message, range: cliRange(r) })),
      })),
  ]);
}

/** Waits until the document's diagnostics are exactly `expected`; on timeout the assertion shows the difference. */
export async function expectDiagnostics(uri: vscode.Uri, expected: Comparable[], what: string): Promise<void> {
  await expectEventually(() => assert.deepStrictEqual(comparableDiagnostics(uri), expected), {
    ...WAIT,
    message: `${what}: diagnostics of ${vscode.workspace.asRelativePath(uri)}`,
  });
}

/** Opens a workspace file once the extension is active and waits until its diagnostics are the CLI's; returns the CLI report. */
export async function openLinted(relativePath: string): Promise<CliReport> {
  await testApi();
  const report = cliScan();
  await openYaml(relativePath);
  const uri = workspaceFile(relativePath);
  await expectDiagnostics(uri, comparableCli(cliFile(report, uri)), 'the CLI findings');
  return report;
}
