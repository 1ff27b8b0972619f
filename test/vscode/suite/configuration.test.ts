// A settings change re-lints the open documents: raising fintechK8s.severityThreshold hides what is below
// it in every open file, fintechK8s.enable=false clears them, and resetting both brings the CLI's findings back.
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../../server/protocol';
import { cliFile, cliScan, comparableCli, expectDiagnostics, openYaml, testApi, workspaceFile, type CliReport } from './support/workspace';

const FILES = ['blockchain/geth.yaml', 'blockchain/validator.yaml'];

async function setSetting(name: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(name, value, vscode.ConfigurationTarget.Workspace);
}

describe('configuration', () => {
  let report: CliReport;

  before(async () => {
    await testApi();
    report = cliScan();
    for (const file of FILES) await openYaml(file);
    await expectAll('info', 'the CLI findings');
  });

  after(async () => {
    await setSetting('severityThreshold', undefined);
    await setSetting('enable', undefined);
  });

  async function expectAll(threshold: 'info' | 'warning' | 'error', what: string): Promise<void> {
    for (const file of FILES)
      await expectDiagnostics(workspaceFile(file), comparableCli(cliFile(report, workspaceFile(file)), threshold), what);
  }

  it('severityThreshold=error leaves only the errors in every open document', async () => {
    await setSetting('severityThreshold', 'error');
    await expectAll('error', 'errors only');
  });

  it('severityThreshold=warning brings the warnings back', async () => {
    await setSetting('severityThreshold', 'warning');
    await expectAll('warning', 'errors and warnings');
  });

  it('enable=false clears the diagnostics of every open document', async () => {
    await setSetting('enable', false);
    for (const file of FILES) await expectDiagnostics(workspaceFile(file), [], 'no diagnostics');
  });

  it('resetting both settings brings back every CLI finding', async () => {
    await setSetting('enable', undefined);
    await setSetting('severityThreshold', undefined);
    await expectAll('info', 'the CLI findings again');
  });
});
