// Hover through vscode.executeHoverProvider: on a flagged range, the rule's title, id, remediation,
// compliance references and documentation link; for a finding that depends on another file, where that is.
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { ruleDocsUrl } from '../../../server/engine/docs-url';
import { RULES_BY_ID } from '../../../server/engine/rules';
import { cliFile, openLinted, workspaceFile, type CliReport } from './support/workspace';

const FILE = 'payments/settlement-cronjob.yaml';

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n\n');
}

describe('hover', () => {
  let report: CliReport;
  const uri = () => workspaceFile(FILE);

  before(async () => {
    report = await openLinted(FILE);
  });

  it('explains every rule flagged in the file where it is flagged', async () => {
    const findings = cliFile(report, uri()).findings;
    assert.ok(findings.length > 0);
    for (const finding of findings) {
      const rule = RULES_BY_ID.get(finding.ruleId);
      assert.ok(rule, `unknown rule ${finding.ruleId}`);
      const text = await hoverText(uri(), new vscode.Position(finding.startLine - 1, finding.startColumn - 1));
      assert.ok(text.includes(`**${rule.title}** \`${rule.id}\``), `${rule.id}: hover has no title line:\n${text}`);
      assert.ok(text.includes(rule.remediation), `${rule.id}: hover has no remediation`);
      assert.ok(text.includes(ruleDocsUrl(rule.id)), `${rule.id}: hover has no documentation link`);
      if (rule.references.pci.length) assert.ok(text.includes('PCI DSS v4.0'), `${rule.id}: hover has no PCI DSS reference`);
    }
  });

  it('names the file a cross-file finding depends on, with its line', async () => {
    const finding = cliFile(report, uri()).findings.find((f) => f.related?.some((r) => !r.file.endsWith(basename(FILE))));
    assert.ok(finding, 'a finding with related information in another file');
    const related = finding.related![0];
    const text = await hoverText(uri(), new vscode.Position(finding.startLine - 1, finding.startColumn - 1));
    assert.ok(text.includes('Depends on'), `no dependency in the hover:\n${text}`);
    assert.ok(
      text.includes(`${basename(related.file)}:${related.startLine}`),
      `hover does not point at ${basename(related.file)}:${related.startLine}:\n${text}`,
    );
  });

  it('says nothing where nothing is flagged', async () => {
    const flagged = new Set(cliFile(report, uri()).findings.flatMap((f) => range(f.startLine - 1, f.endLine - 1)));
    const document = await vscode.workspace.openTextDocument(uri());
    const line = [...Array(document.lineCount).keys()].find((l) => !flagged.has(l) && document.lineAt(l).text.trim() !== '');
    assert.ok(line !== undefined, 'an unflagged, non-empty line');
    const text = await hoverText(uri(), new vscode.Position(line, document.lineAt(line).firstNonWhitespaceCharacterIndex));
    assert.equal(text.includes('fintech-k8s'), false, `hover on unflagged line ${line + 1}:\n${text}`);
    assert.equal(text, '', `hover on unflagged line ${line + 1}`);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
