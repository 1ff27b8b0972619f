// activate(): build the Ctx, register the command table, start the server. Nothing else.
import * as vscode from 'vscode';
import { createCommands } from './commands';
import { Ctx } from './ctx';

let ctx: Ctx | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  ctx = new Ctx(context);
  for (const [id, factory] of Object.entries(createCommands())) {
    context.subscriptions.push(vscode.commands.registerCommand(id, factory(ctx)));
  }
  await ctx.start();
}

export async function deactivate(): Promise<void> {
  await ctx?.dispose();
  ctx = undefined;
}
