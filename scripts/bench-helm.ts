// The chart figures of `npm run bench`: what the editor waits for after an edit to a values file (an
// unsaved buffer): the private copy of the chart, `helm template`, the analysis of the rendered objects and
// the map back to template and values lines. For the chart `helm create` scaffolds and a 40-template chart.
// Uses the pinned helm.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze } from '../server/engine/engine';
import { discoverRoots, renderRoot, resultsOnSources } from '../server/render';
import { ensureRenderers } from '../test/tools/renderers.mjs';

const WORK = resolve(__dirname, '..', '.bench', 'charts');
const RUNS = 23;
const WARM_UP = 3;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** `helm create <name>` (7 templates), and for the large chart 33 more workload templates: 40. */
function createChart(helm: string, name: string, extraTemplates: number): string {
  execFileSync(helm, ['create', name], { cwd: WORK, stdio: 'ignore' });
  const dir = join(WORK, name);
  const deployment = readFileSync(join(dir, 'templates', 'deployment.yaml'), 'utf8');
  for (let i = 0; i < extraTemplates; i++) {
    const copy = deployment.replace(/name: \{\{ include "\w+\.fullname" \. \}\}/, (m) => m.replace(' }}', ` }}-worker-${i}`));
    writeFileSync(join(dir, 'templates', `worker-${i}.yaml`), copy);
  }
  return dir;
}

async function measure(
  helm: string,
  dir: string,
): Promise<{ p50: number; p95: number; objects: number; findings: number; templates: number }> {
  const { roots } = discoverRoots([join(dir, 'Chart.yaml')]);
  const root = roots[0];
  const valuesFile = join(dir, 'values.yaml');
  const values = readFileSync(valuesFile, 'utf8');
  const samples: number[] = [];
  let objects = 0;
  let findings = 0;
  for (let i = 0; i < RUNS; i++) {
    // An edit as you type: the replica count changes each time, unsaved.
    const unsaved = new Map([[valuesFile, values.replace(/^replicaCount: \d+/m, `replicaCount: ${1 + (i % 5)}`)]]);
    const started = process.hrtime.bigint();
    const rendered = await renderRoot({ root, program: helm, unsaved, kubernetesVersion: '1.37' });
    const results = resultsOnSources(rendered, analyze(rendered.files));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (i >= WARM_UP) samples.push(ms); // the first runs warm the JIT and the schema bundle
    objects = rendered.files.length;
    findings = results.reduce((n, r) => n + r.findings.length, 0);
  }
  const templates = root.inputs.filter((file) => file.includes('/templates/') && file.endsWith('.yaml')).length;
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), objects, findings, templates };
}

async function main(): Promise<void> {
  const { helm } = ensureRenderers();
  rmSync(WORK, { recursive: true, force: true });
  execFileSync('mkdir', ['-p', WORK]);
  const charts = [
    { label: 'helm create chart', dir: createChart(helm, 'ledger', 0), target: '   [target < 500 ms p50]' },
    { label: '40-template chart', dir: createChart(helm, 'settlement', 33), target: '' },
  ];
  for (const chart of charts) {
    const figure = await measure(helm, chart.dir);
    console.log(
      `Chart, ${chart.label} (${figure.templates} templates, ${figure.objects} objects), edit of an unsaved values file -> helm template + analysis + source map: p50 ${figure.p50.toFixed(0)} ms, p95 ${figure.p95.toFixed(0)} ms, ${figure.findings} findings${chart.target}`,
    );
  }
  rmSync(WORK, { recursive: true, force: true });
}

main().catch((error: Error) => {
  console.error(`bench-helm: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
