// Starts dist/server.js over IPC for YAML documents. All language logic lives in the server.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SETTINGS_SECTION, type InitializationOptions } from '../server/protocol';

export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    // The server pulls settings per document; this only tells it that they changed, so it pulls again.
    // Files it watches itself (a dynamic registration for the settings file and every YAML file).
    synchronize: { configurationSection: SETTINGS_SECTION },
    diagnosticCollectionName: 'fintech-k8s',
    // The server runs helm and kustomize only in a trusted workspace; it learns of a later grant by notification.
    initializationOptions: { workspaceTrusted: vscode.workspace.isTrusted } satisfies InitializationOptions,
  };
  return new LanguageClient('fintechK8s', 'Fintech K8s', serverOptions, clientOptions);
}
