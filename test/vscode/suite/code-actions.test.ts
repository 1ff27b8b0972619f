// Quick fixes through vscode.executeCodeActionProvider: every fixable finding offers its fix as a
// preferred WorkspaceEdit, every finding a "suppress with a reason" command; applying a fix through
// vscode.workspace.applyEdit removes the finding, and the saved file then lints like the CLI says.
import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { SUPPRESS_COMMAND } from '../../../server/protocol';
import {
  cliFile,
  cliScan,
  comparableCli,
  diagnosticCode,
  expectDiagnostics,
  openLinted,
  openYaml,
  ourDiagnostics,
  workspaceFile,
  type CliReport,
} from './support/workspace';

const FILE = 'payments/payments-api.yaml';

function codeActions(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Thenable<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    uri,
    diagnostic.range,
    vscode.CodeActionKind.QuickFix.value,
    // Resolve them all: an unresolved action may come without its edit.
    100,
  );
}

interface SuppressArgs {
  uri: string;
  line: number;
  ruleId: string;
}

/**
 * The code actions at a diagnostic's range. VS Code hands the server every diagnostic there (several may
 * share a range) and returns the actions without their diagnostics, so the suppressions (one per finding,
 * naming its rule and line) tell which findings the actions answer.
 */
async function actionsAt(uri: vscode.Uri, diagnostic: vscode.Diagnostic) {
  const actions = await codeActions(uri, diagnostic);
  const fixes = actions.filter((a) => a.edit);
  const suppressions = actions.filter((a) => a.command?.command === SUPPRESS_COMMAND).map((a) => a.command!.arguments?.[0] as SuppressArgs);
  const describe = () => actions.map((a) => `${a.title}${a.edit ? ' (edit)' : ''}`).join('; ') || 'none';
  return { actions, fixes, suppressions, describe };
}

describe('code actions', () => {
  let report: CliReport;
  const uri = () => workspaceFile(FILE);

  before(async () => {
    report = await openLinted(FILE);
  });

  it('offer the fix of every fixable finding as a preferred edit, and a suppression for every finding', async () => {
    const findings = cliFile(report, uri()).findings;
    assert.ok(findings.some((f) => f.fixable) && findings.some((f) => !f.fixable), 'the file should have fixable and other findings');
    for (const diagnostic of ourDiagnostics(uri())) {
      const code = diagnosticCode(diagnostic);
      const { actions, fixes, suppressions, describe } = await actionsAt(uri(), diagnostic);
      assert.equal(actions.length, fixes.length + suppressions.length, `${code}: other actions: ${describe()}`);
      assert.ok(
        suppressions.some((s) => s.ruleId === code && s.line === diagnostic.range.start.line && s.uri === uri().toString()),
        `${code} at line ${diagnostic.range.start.line + 1}: no suppression among ${describe()}`,
      );
      // One fix per fixable finding the suppressions name.
      const fixable = suppressions.filter((s) =>
        findings.some((f) => f.fixable && f.ruleId === s.ruleId && f.startLine - 1 === s.line),
      ).length;
      assert.equal(fixes.length, fixable, `${code} at line ${diagnostic.range.start.line + 1}: ${describe()}`);
      for (const fix of fixes) {
        assert.equal(fix.isPreferred, true, `${fix.title}: not the preferred action`);
        assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
        assert.deepEqual(
          fix.edit!.entries().map(([target]) => target.toString()),
          [uri().toString()],
          `${fix.title}: edits other files`,
        );
      }
    }
  });

  it('apply a fix through WorkspaceEdit: the finding goes, and the saved file lints as the CLI says', async () => {
    const document = await openYaml(FILE);
    const before = document.getText();
    // A fixable finding alone at its range: the one fix there is its fix.
    let target: { code: string; fix: vscode.CodeAction } | undefined;
    for (const diagnostic of ourDiagnostics(uri())) {
      const { fixes, suppressions } = await actionsAt(uri(), diagnostic);
      if (fixes.length === 1 && suppressions.length === 1) target = { code: diagnosticCode(diagnostic), fix: fixes[0] };
      if (target) break;
    }
    assert.ok(target, 'a fixable finding alone at its range');
    const { code, fix } = target;
    const sameRule = ourDiagnostics(uri()).filter((d) => diagnosticCode(d) === code).length;

    assert.equal(await vscode.workspace.applyEdit(fix.edit!), true, 'applyEdit refused the fix');
    assert.notEqual(document.getText(), before, 'the edit changed nothing');
    const expectedText = applyTextEdits(before, fix.edit!.get(uri()));
    assert.equal(document.getText(), expectedText, 'the document is not the text the edit describes');
    assert.equal(await document.save(), true, 'the fixed document did not save');

    const after = cliScan();
    const remaining = cliFile(after, uri()).findings.filter((f) => f.ruleId === code).length;
    assert.equal(remaining, sameRule - 1, `the CLI still finds ${remaining} ${code} after the fix (was ${sameRule})`);
    await expectDiagnostics(uri(), comparableCli(cliFile(after, uri())), 'the CLI findings of the fixed file');
  });
});

/** The text after `edits` (non-overlapping), computed from offsets in the original text. */
function applyTextEdits(text: string, edits: vscode.TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: vscode.Position) => lines.slice(0, p.line).reduce((n, line) => n + line.length + 1, 0) + p.character;
  let out = text;
  for (const edit of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start)))
    out = out.slice(0, offset(edit.range.start)) + edit.newText + out.slice(offset(edit.range.end));
  return out;
}
