// "Fintech K8s: New Manifest from Template…": pick a payments or blockchain template, give it a name and
// a namespace, and get a new YAML editor with the rest of the placeholders ready to tab through.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { readTemplates, validateObjectName } from '../templates/catalog';
import { defaultOf, fillTabstops } from '../templates/snippet-syntax';
import type { Template } from '../templates/template-file';

const GROUP_LABELS: Record<string, string> = { payments: 'Payments', blockchain: 'Blockchain' };

type TemplateItem = vscode.QuickPickItem & { template?: Template };

export function newManifestFromTemplate(ctx: Ctx) {
  return async (): Promise<vscode.TextEditor | undefined> => {
    const templates = await readTemplates(vscode.Uri.joinPath(ctx.extension.extensionUri, 'snippets').fsPath);
    const items: TemplateItem[] = [];
    for (const group of [...new Set(templates.map((t) => t.group))]) {
      items.push({ label: GROUP_LABELS[group] ?? group, kind: vscode.QuickPickItemKind.Separator });
      for (const template of templates.filter((t) => t.group === group)) {
        items.push({ label: template.title, description: template.prefix, detail: template.description, template });
      }
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: 'New Manifest from Template',
      placeHolder: 'Choose a template',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    const template = picked?.template;
    if (!template) return undefined;

    const name = await vscode.window.showInputBox({
      title: `${template.title}: name`,
      value: defaultOf(template.body, 1),
      validateInput: validateObjectName,
    });
    if (name === undefined) return undefined;
    const values: Record<number, string> = { 1: name };
    const defaultNamespace = defaultOf(template.body, 2);
    if (defaultNamespace !== undefined) {
      const namespace = await vscode.window.showInputBox({
        title: `${template.title}: namespace`,
        value: defaultNamespace,
        validateInput: validateObjectName,
      });
      if (namespace === undefined) return undefined;
      values[2] = namespace;
    }

    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: '' });
    const editor = await vscode.window.showTextDocument(document);
    await editor.insertSnippet(new vscode.SnippetString(fillTabstops(template.body, values)));
    return editor;
  };
}
