// Reads the shipped snippet files back as templates, for "New Manifest from Template…". The snippet
// files are generated from snippets/templates, so the quick pick and the snippets never disagree.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Template } from './template-file';

const SNIPPET_FILE = /^(.+)\.code-snippets$/;

export async function readTemplates(snippetsDirectory: string): Promise<Template[]> {
  const names = (await readdir(snippetsDirectory)).filter((name) => SNIPPET_FILE.test(name)).sort();
  const templates: Template[] = [];
  for (const name of names) {
    const group = SNIPPET_FILE.exec(name)![1];
    const snippets = JSON.parse(await readFile(join(snippetsDirectory, name), 'utf8')) as Record<
      string,
      { prefix: string; description: string; body: string[] }
    >;
    for (const [title, snippet] of Object.entries(snippets)) {
      templates.push({ group, title, prefix: snippet.prefix, description: snippet.description, body: snippet.body.join('\n') + '\n' });
    }
  }
  return templates;
}

/** A Kubernetes object name (RFC 1123 label), as the API server will insist. */
export function validateObjectName(value: string): string | undefined {
  if (!value) return 'A name is required.';
  if (value.length > 63) return 'At most 63 characters.';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value))
    return 'Lower-case letters, digits and "-", starting and ending with a letter or digit.';
  return undefined;
}
