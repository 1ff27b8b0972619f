// "Fintech K8s: Scan Workspace": every YAML file into the Problems panel, in batches, with progress.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { ScanFilesRequest, type ScanFilesResult } from '../../server/protocol';
import { YAML_FILES_GLOB } from '../constants';

const BATCH_SIZE = 25;

export function scanWorkspace(ctx: Ctx) {
  return async (): Promise<ScanFilesResult | undefined> => {
    // Folder by folder: each folder's own scan.exclude applies to it.
    const perFolder = await Promise.all(
      (vscode.workspace.workspaceFolders ?? []).map((folder) =>
        vscode.workspace.findFiles(new vscode.RelativePattern(folder, YAML_FILES_GLOB), ctx.config.scanExclude(folder)),
      ),
    );
    const files = perFolder.flat();
    if (files.length === 0) {
      void vscode.window.showInformationMessage('Fintech K8s: no YAML files in this workspace.');
      return undefined;
    }
    const total: ScanFilesResult = { files: 0, findings: 0, failedFiles: 0 };
    const cancelled = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Fintech K8s: scanning workspace', cancellable: true },
      async (progress, token) => {
        for (let i = 0; i < files.length; i += BATCH_SIZE) {
          if (token.isCancellationRequested) return true;
          const batch = files.slice(i, i + BATCH_SIZE).map((uri) => uri.toString());
          const result = await ctx.client.sendRequest(ScanFilesRequest.type, { uris: batch }, token);
          total.files += result.files;
          total.findings += result.findings;
          total.failedFiles += result.failedFiles;
          progress.report({
            increment: (batch.length / files.length) * 100,
            message: `${total.files}/${files.length} files, ${total.findings} findings`,
          });
        }
        return false;
      },
    );
    const summary =
      `${total.findings} finding${total.findings === 1 ? '' : 's'} in ${total.files} file${total.files === 1 ? '' : 's'}` +
      (total.failedFiles ? `; ${total.failedFiles} could not be analysed` : '');
    void vscode.window.showInformationMessage(cancelled ? `Fintech K8s: scan cancelled after ${summary}.` : `Fintech K8s: ${summary}.`);
    return total;
  };
}
