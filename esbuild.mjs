// One build script: the extension client, the language server, the CLI, and the lazily loaded cluster layer.
// The client marks `vscode` external (the host provides it); server and CLI are self-contained.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  define: { PACKAGE_VERSION: JSON.stringify(version) },
  // Dual packages (js-yaml ships both) are taken by their ES module build, which esbuild shakes and turns
  // into the CommonJS output above.
  mainFields: ['module', 'main'],
};

const builds = [
  { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...common, entryPoints: { server: 'server/src/server.ts' }, outdir: 'dist' },
  { ...common, entryPoints: { cli: 'server/cli/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  // The cluster layer (@kubernetes/client-node, ~1.5 MB) loads on first cluster use, never at activation.
  { ...common, entryPoints: { kube: 'src/kube/index.ts' }, outdir: 'dist' },
];

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
  console.log('watching…');
} else {
  const started = Date.now();
  await Promise.all(builds.map((options) => esbuild.build(options)));
  console.log(
    `built dist/extension.js, dist/server.js, dist/cli.js, dist/kube.js in ${Date.now() - started} ms${production ? ' (production)' : ''}`,
  );
}
