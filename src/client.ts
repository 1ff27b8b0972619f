// Starts dist/server.js over IPC for YAML documents. All language logic lives in the server.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../server/protocol';
import { CONFIG_FILE_NAME_GLOB, YAML_FILES_GLOB } from './constants';

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
    // The settings file, and every YAML file: rules that look across files need what others define.
    synchronize: {
      fileEvents: [
        vscode.workspace.createFileSystemWatcher(CONFIG_FILE_NAME_GLOB),
        vscode.workspace.createFileSystemWatcher(YAML_FILES_GLOB),
      ],
    },
    diagnosticCollectionName: 'fintech-k8s',
    // The server runs helm and kustomize only in a trusted workspace; it learns of a later grant by notification.
    initializationOptions: { workspaceTrusted: vscode.workspace.isTrusted } satisfies InitializationOptions,
  };
  return new LanguageClient('fintechK8s', 'Fintech K8s', serverOptions, clientOptions);
}
