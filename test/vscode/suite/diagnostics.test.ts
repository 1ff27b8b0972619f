// The editor's diagnostics for every example equal the CLI's findings for the same workspace: rule, range,
// severity, message and related locations in other files, as vscode.languages.getDiagnostics returns them.
import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../../../server/protocol';
import {
  cliFile,
  cliScan,
  comparableCli,
  expectDiagnostics,
  ourDiagnostics,
  testApi,
  workspaceRoot,
  type CliReport,
} from './support/workspace';

describe('diagnostics', () => {
  let report: CliReport;
  let yamlFiles: vscode.Uri[];

  before(async () => {
    await testApi();
    report = cliScan();
    yamlFiles = (await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/.fintech-k8s.yaml')).sort((a, b) =>
      a.fsPath.localeCompare(b.fsPath),
    );
  });

  it('the CLI scans the same YAML files the workspace holds, and finds related locations in them', () => {
    assert.deepEqual(
      report.files.map((f) => f.file).sort(),
      yamlFiles.map((u) => u.fsPath),
    );
    const findings = report.files.flatMap((f) => f.findings);
    assert.ok(findings.length >= 20, `only ${findings.length} findings in the examples`);
    assert.ok(
      findings.some((f) => f.related?.length),
      'no finding with related information: the comparison below would not cover it',
    );
    assert.ok(new Set(findings.map((f) => f.severity)).size === 3, 'the examples should cover every severity');
  });

  it('equal the CLI findings for every example file', async () => {
    for (const uri of yamlFiles) {
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { preview: false });
      await expectDiagnostics(uri, comparableCli(cliFile(report, uri)), 'the CLI findings');
    }
  });

  it('carry the rule id as code with its documentation link, and the source fintech-k8s', () => {
    const uri = yamlFiles.find((u) => cliFile(report, u).findings.length > 0)!;
    const diagnostics = ourDiagnostics(uri);
    assert.ok(diagnostics.length > 0);
    for (const d of diagnostics) {
      assert.equal(d.source, DIAGNOSTIC_SOURCE);
      assert.ok(typeof d.code === 'object', `code ${String(d.code)} has no documentation link`);
      const code = d.code as { value: string; target: vscode.Uri };
      assert.ok(code.target.toString().includes(code.value), `${code.target.toString()} does not document ${code.value}`);
    }
  });

  it('point related information at files of the workspace', () => {
    const related = yamlFiles.flatMap((uri) => ourDiagnostics(uri).flatMap((d) => d.relatedInformation ?? []));
    assert.ok(related.length > 0);
    for (const info of related) assert.ok(info.location.uri.fsPath.startsWith(workspaceRoot()), info.location.uri.toString());
  });
});
