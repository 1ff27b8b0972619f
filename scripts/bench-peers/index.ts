// `npm run bench -- --peers`: installs the pinned peers (cached), times each tool and ours over the same
// throughput corpus, then compares the overlapping rules on a varied corpus. Exits non-zero when ours is
// less than 50× as fast as checkov (or checkov could not be run to tell).
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { compare, printDisagreements } from './compare';
import { writeDeploymentCorpus } from '../bench-corpus';
import { writeVariedCorpus } from './corpus';
import { findGo, installGo, installNpm, installPython, isInstalled, peersCache, type PeerInstall } from './install';
import { kubeconformSchemas } from './kubeconform-schemas';
import { CHECKOV, KUBECONFORM, POLARIS, YAML_LANGUAGE_SERVER } from './pins';
import { deploymentsText } from '../bench-corpus';
import { formatLatency, measureLsp, type LspServerCommand } from '../bench-lsp';
import { checkov, kubeconform, KUBECONFORM_CHECK, ours, polaris, runTool, type Hits, type Tool } from './run';

const ROOT = resolve(__dirname, '..', '..');
const WORK = join(ROOT, '.bench', 'peers');
// Two sizes, because checkov's time grows faster than its input (about 20 s for 2,000 Deployments here,
// about 400 s for 10,000) while ours grows linearly: the small corpus shows fixed costs, the size of
// `npm run bench`'s corpus (10,000) shows how each tool scales. The target is judged on the latter; both
// ratios are printed.
const THROUGHPUT_SIZES = [2000, 10000];
const TARGET_SIZE = 10000;
const TARGET_VS_CHECKOV = 50;
// Median of up to this many runs, fewer for a tool whose runs use up the budget (checkov).
const MAX_RUNS = 5;
const RUN_BUDGET_S = 60;

interface Timing {
  tool: Tool;
  seconds: number;
  runs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function time(tool: Tool, dir: string): Timing {
  const runs: number[] = [];
  while (runs.length < MAX_RUNS && (runs.length < 3 || runs.reduce((a, b) => a + b, 0) < RUN_BUDGET_S / 2)) {
    runs.push(runTool(tool, dir).seconds);
    if (runs.reduce((a, b) => a + b, 0) > RUN_BUDGET_S) break;
  }
  return { tool, seconds: median(runs), runs: runs.length };
}

function printTable(timings: Timing[], objects: number): number | undefined {
  const oursRate = objects / timings[0].seconds;
  const rows = timings.map(({ tool, seconds, runs }, i) => {
    const rate = objects / seconds;
    const ratio =
      i === 0 ? '' : oursRate >= rate ? `ours ${(oursRate / rate).toFixed(1)}× faster` : `ours ${(rate / oursRate).toFixed(1)}× slower`;
    return [tool.name, tool.version, seconds.toFixed(2), Math.round(rate).toString(), ratio, String(runs)];
  });
  const header = ['tool', 'version', 'wall s', 'objects/s', 'ratio', 'runs'];
  const widths = header.map((title, c) => Math.max(title.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    '  ' + cells.map((cell, c) => (c >= 2 && c <= 3 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const checkovTiming = timings.find((t) => t.tool.name === CHECKOV.name);
  return checkovTiming ? oursRate / (objects / checkovTiming.seconds) : undefined;
}

export async function benchPeers(): Promise<number> {
  const cli = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error('Run `npm run build` first (npm run bench does).');
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

  console.log(`Peers cache: ${peersCache()}`);
  const go = findGo();
  const installs: PeerInstall[] = [installPython(CHECKOV), installGo(POLARIS, go), installGo(KUBECONFORM, go)];
  for (const peer of installs) if (!isInstalled(peer)) console.log(`${peer.name} ${peer.version}: left out — ${peer.reason}`);

  const tools: Tool[] = [ours(version)];
  for (const peer of installs.filter(isInstalled)) {
    if (peer.name === CHECKOV.name) tools.push(checkov(peer));
    else if (peer.name === POLARIS.name) tools.push(polaris(peer));
    else if (peer.name === KUBECONFORM.name) {
      const schemas = await kubeconformSchemas(peersCache());
      tools.push(kubeconform(peer, schemas.dir, schemas.minor));
    }
  }

  const ratios = new Map<number, number | undefined>();
  for (const size of THROUGHPUT_SIZES) {
    const throughput = writeDeploymentCorpus(join(WORK, `throughput-${size}`), size);
    const load = loadavg()
      .map((n) => n.toFixed(2))
      .join(' ');
    console.log(
      `\nThroughput: ${throughput.objects} Deployments in ${throughput.files} files; each tool a child process (wall time includes its start), ` +
        `no core pinning; median of runs; load average ${load}`,
    );
    const timings = tools.map((tool) => time(tool, throughput.dir));
    ratios.set(size, printTable(timings, throughput.objects));
  }

  const varied = writeVariedCorpus(join(WORK, 'varied'));
  console.log(`\nVaried corpus: ${varied.objects} objects in ${varied.files} files (${varied.dir})`);
  const hits = new Map<string, Hits>(tools.map((tool) => [tool.name, runTool(tool, varied.dir).hits]));
  printDisagreements(compare(hits.get(tools[0].name)!, hits, KUBECONFORM_CHECK));

  await editorLatency(version);

  const ratio = ratios.get(TARGET_SIZE);
  if (ratio === undefined) {
    console.error(`\nFAIL: checkov could not be run, so the ${TARGET_VS_CHECKOV}× target cannot be checked.`);
    return 1;
  }
  for (const [size, sizeRatio] of ratios)
    if (sizeRatio !== undefined) console.log(`\nOurs vs checkov on ${size} Deployments: ${sizeRatio.toFixed(1)}× as fast.`);
  if (ratio < TARGET_VS_CHECKOV) {
    console.error(
      `FAIL: on ${TARGET_SIZE} Deployments ours is ${ratio.toFixed(1)}× as fast as checkov; the target is at least ${TARGET_VS_CHECKOV}×.`,
    );
    return 1;
  }
  console.log(`OK: on ${TARGET_SIZE} Deployments ours is ${ratio.toFixed(1)}× as fast as checkov (target ≥ ${TARGET_VS_CHECKOV}×).`);
  return 0;
}

/** Ours and yaml-language-server over LSP stdio on the same 200-Deployment file, one after the other. */
async function editorLatency(version: string): Promise<void> {
  const text = deploymentsText(1_000_000, 200);
  const servers: LspServerCommand[] = [
    { name: 'fintech-k8s', version, command: process.execPath, args: [join(ROOT, 'dist', 'server.js'), '--stdio'] },
  ];
  const yls = installNpm(YAML_LANGUAGE_SERVER);
  if (isInstalled(yls)) servers.push({ name: yls.name, version: yls.version, command: process.execPath, args: [yls.bin, '--stdio'] });
  else console.log(`${yls.name} ${yls.version}: left out — ${yls.reason}`);
  const load = loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
  console.log(
    `\nEditor latency over LSP stdio: ${text.split('\n').length} lines, 200 Deployments; edits one value each, a pause apart; ` +
      `yaml-language-server without a schema (it parses only); load average ${load}`,
  );
  for (const server of servers) console.log('  ' + formatLatency(server, await measureLsp(server, text)));
}
