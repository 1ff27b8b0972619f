// Every contributed command is registered once the extension is active, and every registered command is
// contributed; the ones that reach clusters are declared as needing a trusted workspace.
import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { contributedCommands, menuItems, requiresTrust, TRUST_COMMANDS } from './support/manifest';
import { extension, testApi } from './support/workspace';

describe('commands', () => {
  before(async () => {
    await testApi();
  });

  it('registers every command package.json contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = contributedCommands().map((c) => c.command);
    assert.ok(contributed.length >= 10, `only ${contributed.length} contributed commands`);
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'contributed but not registered');
  });

  it('contributes every fintechK8s.* command it registers', async () => {
    const contributed = new Set(contributedCommands().map((c) => c.command));
    // VS Code adds <view id>.focus, .open, … for every contributed view.
    const views = Object.values(extension().packageJSON.contributes.views as Record<string, { id: string }[]>)
      .flat()
      .map((view) => `${view.id}.`);
    const ours = (await vscode.commands.getCommands(true)).filter(
      (id) => id.startsWith('fintechK8s.') && !views.some((prefix) => id.startsWith(prefix)),
    );
    assert.deepEqual(
      ours.filter((id) => !contributed.has(id)),
      [],
      'registered without a package.json entry (no title in the palette)',
    );
  });

  it('declares limited support for untrusted workspaces, and trust as the enablement of the deploy, rollback and logs commands', () => {
    const untrusted = extension().packageJSON.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.match(untrusted?.description ?? '', /trusted/);
    const needingTrust = contributedCommands()
      .filter((c) => requiresTrust(c.enablement))
      .map((c) => c.command)
      .sort();
    assert.deepEqual(needingTrust, [...TRUST_COMMANDS].sort());
  });

  it('shows the deploy, rollback and logs commands in menus only in a trusted workspace', () => {
    const entries = menuItems().filter((item) => TRUST_COMMANDS.includes(item.command));
    assert.ok(entries.length >= 4, `only ${entries.length} menu entries for deploy and logs`);
    for (const entry of entries) assert.ok(requiresTrust(entry.when), `menu entry of ${entry.command} shows without trust: ${entry.when}`);
  });
});
