// activate(): build the Ctx, register the command table, start the server. Nothing else.
import * as vscode from 'vscode';
import { createCommands } from './commands';
import { Ctx } from './ctx';
import type { ClustersTree } from './views/clusters-tree';

let ctx: Ctx | undefined;

/** What activate() returns while VS Code runs the extension's own tests (test/vscode), and only then. */
export interface ExtensionTestApi {
  clustersTree: ClustersTree;
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionTestApi | undefined> {
  ctx = new Ctx(context);
  for (const [id, factory] of Object.entries(createCommands())) {
    context.subscriptions.push(vscode.commands.registerCommand(id, factory(ctx)));
  }
  await ctx.start();
  return context.extensionMode === vscode.ExtensionMode.Test ? { clustersTree: ctx.clustersTree } : undefined;
}

export async function deactivate(): Promise<void> {
  await ctx?.dispose();
  ctx = undefined;
}
