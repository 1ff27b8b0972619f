// `npm run snippets`: generates snippets/<group>.code-snippets from snippets/templates/<group>/*.yaml.
// `npm run snippets -- check [template.yaml…]`: expands templates with their defaults and lints them.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { analyzeText } from '../server/engine/engine';
import { atLeast } from '../server/engine/types';
import { expandSnippet } from '../src/templates/snippet-syntax';
import { parseTemplate, toSnippetFile, type Template } from '../src/templates/template-file';

export const SNIPPETS_DIR = resolve(__dirname, '..', 'snippets');
const TEMPLATES_DIR = join(SNIPPETS_DIR, 'templates');

export function templateFiles(): string[] {
  return readdirSync(TEMPLATES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((group) =>
      readdirSync(join(TEMPLATES_DIR, group.name))
        .filter((name) => name.endsWith('.yaml'))
        .sort()
        .map((name) => join(TEMPLATES_DIR, group.name, name)),
    );
}

export function loadTemplate(path: string): Template {
  return parseTemplate(basename(dirname(path)), readFileSync(path, 'utf8'));
}

/** Every generated snippet file's expected text, by file name. */
export function renderSnippetFiles(): Map<string, string> {
  const byGroup = new Map<string, Template[]>();
  for (const path of templateFiles()) {
    const template = loadTemplate(path);
    byGroup.set(template.group, [...(byGroup.get(template.group) ?? []), template]);
  }
  return new Map(
    [...byGroup].map(([group, templates]) => [`${group}.code-snippets`, JSON.stringify(toSnippetFile(templates), null, 2) + '\n']),
  );
}

function check(paths: string[]): number {
  let failures = 0;
  for (const path of paths.length ? paths : templateFiles()) {
    const template = loadTemplate(path);
    const text = expandSnippet(template.body);
    const result = analyzeText(basename(path), text);
    const serious = result.findings.filter((f) => !f.suppressed && atLeast(f.severity, 'warning'));
    const problems = result.problems;
    if (serious.length || problems.length) failures++;
    console.log(`${serious.length || problems.length ? 'FAIL' : 'ok  '} ${template.prefix} (${result.objects.length} objects)`);
    for (const p of problems) console.log(`     ${p.range.start.line + 1}: [${p.code}] ${p.message}`);
    for (const f of serious) console.log(`     ${f.range.start.line + 1}: ${f.severity} [${f.ruleId}] ${f.message}`);
  }
  return failures ? 1 : 0;
}

if (require.main === module) {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'check') process.exitCode = check(rest.map((p) => resolve(p)));
  else {
    for (const [name, text] of renderSnippetFiles()) writeFileSync(join(SNIPPETS_DIR, name), text);
    console.log(`wrote ${[...renderSnippetFiles().keys()].join(', ')}`);
  }
}
