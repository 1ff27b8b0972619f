// Dependencies point one way: the engine imports neither VS Code nor the LSP library (so the CLI and the
// deploy gate run the same code), the client never imports the engine or the server; what both need
// (card numbers) is a leaf in lib/ that imports nothing.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(__dirname, '..', '..');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** [file, specifier, resolved path for relative imports] for every import of the folder's files. */
function importsOf(folder: string): { file: string; specifier: string; target?: string }[] {
  return sourceFiles(join(ROOT, folder)).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((match) => {
      const specifier = match[1] ?? match[2];
      return {
        file: relative(ROOT, file),
        specifier,
        target: specifier.startsWith('.') ? relative(ROOT, resolve(dirname(file), specifier)) : undefined,
      };
    }),
  );
}

describe('import graph', () => {
  it('finds the imports it checks (the scanner itself works)', () => {
    const engine = importsOf('server/engine');
    assert.ok(engine.some((i) => i.specifier === 'yaml'));
    assert.ok(engine.some((i) => i.target === 'server/engine/types'));
  });

  it('server/engine imports neither vscode nor the language server library, nor anything outside itself but the leaves in lib/', () => {
    for (const { file, specifier, target } of importsOf('server/engine')) {
      assert.ok(!/^vscode($|-languageserver|-languageclient|-jsonrpc)/.test(specifier), `${file} imports ${specifier}`);
      if (target)
        assert.ok(target.startsWith('server/engine') || target.startsWith('lib/'), `${file} reaches outside the engine: ${specifier}`);
    }
  });

  it('the engine never opens a connection: schemas and rules work offline', () => {
    for (const { file, specifier } of importsOf('server/engine'))
      assert.ok(!/^(node:)?(http|https|http2|net|tls|dgram|dns)$/.test(specifier), `${file} imports ${specifier}`);
    for (const file of sourceFiles(join(ROOT, 'server', 'engine')))
      assert.ok(
        !/\bfetch\(|new (XMLHttpRequest|WebSocket)\b/.test(readFileSync(file, 'utf8')),
        `${relative(ROOT, file)} reaches the network`,
      );
  });

  it('lib/ holds leaves: code shared by the engine and the client that imports nothing of the project (lib/programs: Node only)', () => {
    const imports = importsOf('lib');
    const allowed = ({ file, specifier, target }: { file: string; specifier: string; target?: string }) =>
      target ? target.startsWith('lib/') : file.startsWith('lib/programs/') && /^node:/.test(specifier);
    assert.deepEqual(
      imports.filter((i) => !allowed(i)).map(({ file, specifier }) => `${file} imports ${specifier}`),
      [],
    );
    assert.ok(
      importsOf('server/engine').some((i) => i.target?.startsWith('lib/')) && importsOf('src').some((i) => i.target?.startsWith('lib/')),
      'the engine and the client both use lib/',
    );
  });

  it('the engine runs no program: the CLI (server/cli) and the renderers (server/render) sit outside it', () => {
    for (const { file, specifier } of importsOf('server/engine'))
      assert.ok(!/^(node:)?child_process$/.test(specifier), `${file} imports ${specifier}`);
    assert.ok(
      importsOf('server/cli').some((i) => i.target?.startsWith('server/render')),
      'the CLI renders charts and overlays through server/render',
    );
    for (const { file, target, specifier } of importsOf('server/render'))
      assert.ok(!target || (!target.startsWith('server/cli') && !target.startsWith('server/src')), `${file} imports ${specifier}`);
  });

  it('server/protocol imports nothing of the engine, server or client', () => {
    for (const { file, target, specifier } of importsOf('server/protocol')) {
      assert.ok(!target || target.startsWith('server/protocol'), `${file} imports ${specifier}`);
      assert.notEqual(specifier, 'vscode', `${file} imports vscode`);
    }
  });

  it('the client (src/) reaches the server only through server/protocol (and shares only the leaves in lib/)', () => {
    for (const { file, target, specifier } of importsOf('src')) {
      if (!target) continue;
      assert.ok(
        target.startsWith('src') || target.startsWith('server/protocol') || target.startsWith('lib/'),
        `${file} imports ${specifier}`,
      );
    }
  });

  it('src/kube and src/templates never import vscode, so they run (and are tested) without VS Code', () => {
    for (const folder of ['src/kube', 'src/templates']) {
      for (const { file, specifier } of importsOf(folder)) assert.notEqual(specifier, 'vscode', `${file} imports vscode`);
    }
  });

  it('client-node stays out of the extension bundle: only src/kube imports it, and others only its types', () => {
    for (const { file, specifier } of importsOf('src')) {
      if (specifier !== '@kubernetes/client-node' || file.startsWith('src/kube/')) continue;
      const source = readFileSync(join(ROOT, file), 'utf8');
      assert.match(source, /import type \{[^}]*\} from '@kubernetes\/client-node'/, `${file} imports client-node at run time`);
    }
  });

  it('the language server never imports the client', () => {
    for (const { file, target, specifier } of importsOf('server/src')) {
      assert.ok(!target || !target.startsWith('src'), `${file} imports ${specifier}`);
      assert.notEqual(specifier, 'vscode', `${file} imports vscode`);
    }
  });
});
