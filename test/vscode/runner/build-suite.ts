// Bundles the extension-host suite for VS Code's Node extension host: one CommonJS file per test file plus
// index.js (what extensionTestsPath names). `vscode` comes from the host; Mocha is required at run time from
// the project's node_modules, so every file sees the one Mocha instance that index.js drives.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { SUITES } from '../results';

export async function buildSuite(root: string): Promise<string> {
  const outdir = join(root, 'out', 'vscode-test');
  rmSync(outdir, { recursive: true, force: true });
  const names = [...new Set(Object.values(SUITES).flat())];
  await esbuild.build({
    entryPoints: [
      { in: join(root, 'test', 'vscode', 'suite', 'index.ts'), out: 'index' },
      ...names.map((name) => ({ in: join(root, 'test', 'vscode', 'suite', `${name}.test.ts`), out: `${name}.test` })),
    ],
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  });
  return outdir;
}
