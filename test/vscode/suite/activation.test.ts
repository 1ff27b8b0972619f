// Activation on YAML only: the extension sleeps through other languages and wakes for the first YAML file
// (the examples hold no Chart.yaml or kustomization, whose presence alone would activate it). Runs first in
// every window, before anything else could have activated it.
import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { waitFor } from '../../e2e/support/poll';
import { extension, openYaml, WAIT } from './support/workspace';

/** A built-in extension that activates on JSON: once it is active, VS Code has handled the JSON file's activation event. */
const JSON_FEATURES = 'vscode.json-language-features';

describe('activation', () => {
  before(() => {
    assert.equal(extension().isActive, false, 'the extension was already active before any YAML file was opened');
  });

  it('declares activation on YAML only: the language, or a workspace holding a chart or kustomization', () => {
    const events = extension().packageJSON.activationEvents as string[];
    assert.ok(events.includes('onLanguage:yaml'));
    const others = events.filter((event) => event !== 'onLanguage:yaml');
    assert.deepEqual(
      others.filter((event) => !/^workspaceContains:\*\*\/[\w.-]+\.ya?ml$/.test(event)),
      [],
      'activation events other than YAML files',
    );
  });

  it('stays inactive while a JSON file and a plain-text file are open', async () => {
    const json = await vscode.workspace.openTextDocument({ language: 'json', content: '{ "kind": "Deployment" }\n' });
    await vscode.window.showTextDocument(json);
    const text = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'apiVersion: v1\nkind: Pod\n' });
    await vscode.window.showTextDocument(text);
    const jsonFeatures = vscode.extensions.getExtension(JSON_FEATURES);
    assert.ok(jsonFeatures, `${JSON_FEATURES} is built into VS Code`);
    // Proof that VS Code caught up with the activation events of these documents before asserting absence.
    await waitFor(() => jsonFeatures.isActive, { ...WAIT, message: `${JSON_FEATURES} to activate for the JSON document` });
    assert.equal(extension().isActive, false, 'a JSON or plain-text document activated the extension');
  });

  it('activates when a YAML file opens', async () => {
    await openYaml('payments/payments-api.yaml');
    await waitFor(() => extension().isActive, { ...WAIT, message: 'the extension to activate for a YAML document' });
  });
});
