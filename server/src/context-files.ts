// The text of a workspace file a finding links to: the open document as typed, else the file on disk.
// Read only when a finding names an object of that file, so links land on the exact key (as in the CLI).
// Disk reads are kept until the workspace index sees the file change: the same few files (a Namespace,
// a Service) are linked from every analysis of the documents that depend on them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { WorkspaceIndex } from './workspace-index';

/** Files kept at once: links point at a handful of files, not the workspace. */
const KEPT = 32;

export class ContextFiles {
  private readonly kept = new Map<string, { version: number; text: string | undefined }>();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly index: WorkspaceIndex,
  ) {}

  readonly read = (uri: string): string | undefined => {
    const open = this.documents.get(uri);
    if (open) return open.getText();
    if (!uri.startsWith('file:')) return undefined;
    const version = this.index.versionOf(uri);
    const kept = this.kept.get(uri);
    if (kept && kept.version === version) return kept.text;
    const text = readFromDisk(uri);
    this.kept.delete(uri);
    if (this.kept.size >= KEPT) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(uri, { version, text });
    return text;
  };
}

function readFromDisk(uri: string): string | undefined {
  try {
    return readFileSync(fileURLToPath(uri), 'utf8');
  } catch {
    return undefined; // gone or unreadable: the link falls back to where the index saw the object
  }
}
