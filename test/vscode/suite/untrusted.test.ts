// Restricted Mode (a window whose folder nobody trusted): linting works as in a trusted window, every
// command is still registered, and the commands that need trust refuse to deploy or read logs when run.
import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { contributedCommands, TRUST_COMMANDS } from './support/manifest';
import { openLinted, testApi, workspaceFile } from './support/workspace';

const FILE = 'payments/payments-api.yaml';

describe('untrusted workspace', () => {
  before(async () => {
    await testApi();
  });

  it('is the window this suite runs in: the folder is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace is trusted: the untrusted suite would prove nothing');
  });

  it('still registers every contributed command (limited support, not disabled)', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributedCommands()
        .map((c) => c.command)
        .filter((id) => !registered.has(id)),
      [],
    );
  });

  it('lints as in a trusted workspace: the diagnostics equal the CLI findings', async () => {
    await openLinted(FILE);
  });

  it('refuses every command that needs trust: deploys, chart and overlay deploys, rollbacks', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile(FILE)));
    editor.selection = new vscode.Selection(0, 0, 10, 0);
    const refusing = TRUST_COMMANDS.filter((id) => id !== 'fintechK8s.tailLogs');
    for (const id of refusing)
      assert.deepEqual(
        await vscode.commands.executeCommand(id, id === 'fintechK8s.deploySelection' ? undefined : workspaceFile(FILE)),
        { stage: 'untrusted' },
        id,
      );
  });

  it('refuses to tail logs, even of a pod named outright', async () => {
    const pod = {
      type: 'pod',
      context: 'any',
      namespace: 'payments',
      pod: { name: 'payments-api-0', status: 'Running', ready: '1/1', restarts: 0, containers: [] },
    };
    // A trusted window returns the new tail's title here (the Clusters tree tests).
    assert.equal(await vscode.commands.executeCommand('fintechK8s.tailLogs', pod, 0), undefined);
  });
});
