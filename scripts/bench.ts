// `npm run bench`: speed figures (never asserted in tests). Generates a corpus, then measures the CLI's
// throughput, the editor's per-document analysis of a large file, and what we ship, then runs the
// chart (helm), overlay (kustomize) and redaction benches. `npm run bench -- --peers` instead compares ours with checkov, Polaris and
// kubeconform (scripts/bench-peers/). The single entry is here because npm appends `-- args` to the
// last command of a script's chain only.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeText } from '../server/engine/engine';
import { ParseCache } from '../server/engine/parse';
import { objectSymbols } from '../server/engine/symbols';
import { deploymentsText, writeDeploymentCorpus } from './bench-corpus';
import { formatLatency, measureLsp, type LspServerCommand } from './bench-lsp';
import { benchPeers } from './bench-peers';

const ROOT = resolve(__dirname, '..');
const WORK = join(ROOT, '.bench');
const CORPUS = join(WORK, 'corpus');
const FILES = 500;
const OBJECTS_PER_FILE = 20;
const BIG_FILE_OBJECTS = 200;

function generateCorpus(): { bigFile: string; bigText: string } {
  rmSync(WORK, { recursive: true, force: true });
  writeDeploymentCorpus(CORPUS, FILES * OBJECTS_PER_FILE);
  const bigText = deploymentsText(1_000_000, BIG_FILE_OBJECTS);
  const bigFile = join(WORK, 'big.yaml');
  writeFileSync(bigFile, bigText);
  return { bigFile, bigText };
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function timeMs(run: () => void): number {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function cliThroughput(format: 'text' | 'sarif'): { seconds: number; objectsPerSecond: number; findings: number } {
  const cli = join(ROOT, 'dist', 'cli.js');
  // One core, as a CI runner would give a lint step; taskset is absent on some machines.
  const pinned = spawnSync('taskset', ['--version']).status === 0;
  const command = pinned ? 'taskset' : process.execPath;
  const scan = [cli, 'scan', CORPUS, '--format', format];
  const args = pinned ? ['-c', '0', process.execPath, ...scan] : scan;
  const runs: number[] = [];
  let findings = 0;
  for (let i = 0; i < 3; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
    runs.push(Number(process.hrtime.bigint() - started) / 1e9);
    if (result.status !== 1) throw new Error(`CLI exited ${result.status}: ${result.stderr}`);
    findings = format === 'sarif' ? JSON.parse(result.stdout).runs[0].results.length : Number(/^(\d+) findings/m.exec(result.stdout)?.[1]);
  }
  const seconds = percentile(runs, 50);
  return { seconds, objectsPerSecond: (FILES * OBJECTS_PER_FILE) / seconds, findings };
}

function editorAnalysis(bigText: string) {
  for (let i = 0; i < 5; i++) analyzeText('big.yaml', bigText); // warm the JIT
  const cold = Array.from({ length: 30 }, () => timeMs(() => analyzeText('big.yaml', bigText)));

  // As you type: one document changes, the others come from the parse cache.
  const cache = new ParseCache();
  analyzeText('big.yaml', bigText, { parse: (t) => cache.get(t) });
  cache.sweep();
  const incremental = Array.from({ length: 60 }, (_, i) => {
    const edited = bigText.replace('name: service-1000100\n', `name: service-1000100-${i}\n`);
    const ms = timeMs(() => analyzeText('big.yaml', edited, { parse: (t) => cache.get(t) }));
    cache.sweep();
    return ms;
  });
  return { cold, incremental };
}

/** The outline of the big file: parsing it again (as it once did) against the analyser's parse cache. */
function outline(bigText: string) {
  for (let i = 0; i < 3; i++) objectSymbols(bigText); // warm the JIT
  const reparsed = Array.from({ length: 10 }, () => timeMs(() => objectSymbols(bigText)));
  const cache = new ParseCache();
  analyzeText('big.yaml', bigText, { parse: (t) => cache.get(t) });
  const parse = (t: string) => cache.get(t);
  objectSymbols(bigText, parse); // the first request builds the positioned documents, later ones reuse them
  const cached = Array.from({ length: 30 }, () => timeMs(() => objectSymbols(bigText, parse)));
  return { reparsed, cached };
}

function sizes() {
  const dist = join(ROOT, 'dist');
  const bundles = ['extension.js', 'server.js', 'cli.js'].map((name) => [name, statSync(join(dist, name)).size] as const);
  const vsix = readdirSync(dist).find((name) => name.endsWith('.vsix'));
  let vsixInfo: { size: number; files: number } | undefined;
  if (vsix) {
    const listing = execFileSync('unzip', ['-l', join(dist, vsix)], { encoding: 'utf8' });
    const files = listing.split('\n').filter((line) => /^\s*\d+\s+\S+\s+\S+\s+\S/.test(line)).length;
    vsixInfo = { size: statSync(join(dist, vsix)).size, files };
  }
  return { bundles, vsix, vsixInfo };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

/** Our language server as the extension starts it, over stdio for the bench. */
export function oursOverStdio(version: string): LspServerCommand {
  return { name: 'fintech-k8s', version, command: process.execPath, args: [join(ROOT, 'dist', 'server.js'), '--stdio'] };
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('Run `npm run build` first (npm run bench does).');
  const { bigText } = generateCorpus();
  const lines = bigText.split('\n').length;
  console.log(
    `Corpus: ${FILES * OBJECTS_PER_FILE} objects in ${FILES} files; big file: ${BIG_FILE_OBJECTS} objects, ${lines} lines, ${kb(bigText.length)}`,
  );

  for (const format of ['text', 'sarif'] as const) {
    const cli = cliThroughput(format);
    console.log(
      `CLI scan --format ${format} (one core, median of 3): ${cli.seconds.toFixed(2)} s, ${Math.round(cli.objectsPerSecond)} objects/s, ${cli.findings} findings   [target >= 10000 objects/s]`,
    );
  }

  const { cold, incremental } = editorAnalysis(bigText);
  console.log(
    `Big file, full analysis (no cache):     p50 ${percentile(cold, 50).toFixed(1)} ms, p95 ${percentile(cold, 95).toFixed(1)} ms`,
  );
  console.log(
    `Big file, one document edited (cached): p50 ${percentile(incremental, 50).toFixed(1)} ms, p95 ${percentile(incremental, 95).toFixed(1)} ms   [target < 30 ms p50]`,
  );

  const lsp = await measureLsp(oursOverStdio('this build'), bigText);
  console.log(`Big file over LSP stdio: ${formatLatency(oursOverStdio('this build'), lsp)}   [target edit p50 < 100 ms, open < 250 ms]`);

  const symbols = outline(bigText);
  console.log(`Big file, outline re-parsing the file:  p50 ${percentile(symbols.reparsed, 50).toFixed(1)} ms (how it was)`);
  console.log(
    `Big file, outline from the parse cache: p50 ${percentile(symbols.cached, 50).toFixed(1)} ms, p95 ${percentile(symbols.cached, 95).toFixed(1)} ms`,
  );

  const { bundles, vsix, vsixInfo } = sizes();
  for (const [name, size] of bundles)
    console.log(`Bundle dist/${name}: ${kb(size)}${name === 'extension.js' ? '   [target < 1.5 MB]' : ''}`);
  if (vsixInfo) console.log(`VSIX dist/${vsix}: ${kb(vsixInfo.size)}, ${vsixInfo.files} files`);
  else console.log('VSIX: not built (npm run package)');

  // Their own processes: each bench stays runnable on its own, and its heap starts clean.
  for (const bench of ['bench-helm.ts', 'bench-kustomize.ts', 'bench-redact.ts']) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, bench)], { stdio: 'inherit', cwd: ROOT });
    if (run.status !== 0) process.exitCode = run.status ?? 1;
  }
}

if (process.argv.includes('--peers')) {
  benchPeers().then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      console.error(`bench --peers: ${error.stack ?? error.message}`);
      process.exitCode = 1;
    },
  );
} else
  main().catch((error: Error) => {
    console.error(`bench: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  });
