// The text of a workspace file a finding links to: the open document as typed, else the file on disk.
// Read only when a finding names an object of that file, so links land on the exact key (as in the CLI).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

export function contextFileReader(documents: TextDocuments<TextDocument>): (uri: string) => string | undefined {
  return (uri) => {
    const open = documents.get(uri);
    if (open) return open.getText();
    if (!uri.startsWith('file:')) return undefined;
    try {
      return readFileSync(fileURLToPath(uri), 'utf8');
    } catch {
      return undefined; // gone or unreadable: the link falls back to where the index saw the object
    }
  };
}
