// The extension's state: the language client, settings and status bar, and what to dispose.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './client';
import { Config } from './config';
import { FindingsStatusBar } from './status-bar';

export class Ctx implements vscode.Disposable {
  readonly config = new Config();
  readonly client: LanguageClient;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.client = createLanguageClient(extension);
    this.push(new FindingsStatusBar());
  }

  async start(): Promise<void> {
    await this.client.start();
  }

  push(disposable: vscode.Disposable): void {
    this.disposables.push(disposable);
  }

  async dispose(): Promise<void> {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    await this.client.stop();
  }
}
