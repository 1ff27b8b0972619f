// Inserts `# fintech-k8s-ignore <rule>: <reason>` above the flagged line, once the user gives a reason.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { SuppressArguments } from '../../server/protocol';

export function suppressWithReason(_ctx: Ctx) {
  return async (args: SuppressArguments): Promise<boolean> => {
    const reason = await vscode.window.showInputBox({
      title: `Suppress ${args.ruleId}`,
      prompt: 'Why is this acceptable? The reason is kept in the file for reviewers and auditors.',
      placeHolder: 'e.g. legacy batch job, isolated node pool, exception PCI-2025-14 until 2026-03',
      validateInput: (value) => (value.trim().length < 3 ? 'A suppression needs a reason.' : undefined),
    });
    if (!reason) return false;
    const uri = vscode.Uri.parse(args.uri);
    const document = await vscode.workspace.openTextDocument(uri);
    const line = document.lineAt(args.line);
    const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex).replace(/- $/, '  ');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(
      uri,
      new vscode.Position(args.line, 0),
      `${indent}# fintech-k8s-ignore ${args.ruleId}: ${reason.trim().replace(/\s+/g, ' ')}\n`,
    );
    return vscode.workspace.applyEdit(edit);
  };
}
