// Which chart or kustomization a Deploy Chart / Deploy Overlay command is about: the folder or file it was
// invoked on (explorer, editor title), else the active editor's file, else one picked from the workspace;
// a file inside a chart or overlay stands for the nearest folder above it that holds the root file.
import * as vscode from 'vscode';
import type { RenderRootKind } from '../../server/protocol';

const ROOT_FILES: Record<RenderRootKind, string[]> = {
  helm: ['Chart.yaml'],
  kustomize: ['kustomization.yaml', 'kustomization.yml', 'Kustomization'],
};

const NOUN: Record<RenderRootKind, string> = { helm: 'chart', kustomize: 'kustomization' };

export async function rootFolder(kind: RenderRootKind, uri: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const start = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (start?.scheme === 'file') {
    const found = await nearestRoot(kind, start);
    if (found) return found;
    void vscode.window.showErrorMessage(
      `Fintech K8s: ${start.fsPath} is not in a ${NOUN[kind]} (no ${ROOT_FILES[kind].join(' or ')} above it).`,
    );
    return undefined;
  }
  const candidates = (await vscode.workspace.findFiles(`**/{${ROOT_FILES[kind].join(',')}}`, '**/node_modules/**', 200)).map((file) =>
    vscode.Uri.joinPath(file, '..'),
  );
  if (candidates.length === 0) {
    void vscode.window.showErrorMessage(`Fintech K8s: no ${NOUN[kind]} in the workspace (${ROOT_FILES[kind].join(', ')}).`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((folder) => ({ label: vscode.workspace.asRelativePath(folder), folder })),
    { title: `Fintech K8s: the ${NOUN[kind]} to deploy` },
  );
  return picked?.folder;
}

async function nearestRoot(kind: RenderRootKind, start: vscode.Uri): Promise<vscode.Uri | undefined> {
  let folder = (await isDirectory(start)) ? start : vscode.Uri.joinPath(start, '..');
  for (;;) {
    for (const name of ROOT_FILES[kind]) if (await exists(vscode.Uri.joinPath(folder, name))) return folder;
    const parent = vscode.Uri.joinPath(folder, '..');
    if (parent.path === folder.path || !vscode.workspace.getWorkspaceFolder(parent)) return undefined;
    folder = parent;
  }
}

async function isDirectory(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
  } catch {
    return false;
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
