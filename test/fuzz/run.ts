// The fuzz run: mutated manifests through the CLI's main, as CI runs it, checking what must hold for any
// input: no throw and no internal error, exit code 0, 1 or 2, output that parses, every range inside the
// text, no rule failing. Used by the property test (a few thousand documents) and `npm run fuzz`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from '../../server/cli/cli';
import { mutate, random } from './mutate';

const ROOT = resolve(__dirname, '..', '..');

/** The seed corpus: every manifest the project keeps (rule fixtures, CLI fixtures, examples). */
export function corpus(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name) && statSync(path).size < 200_000) files.push(path);
    }
  };
  walk(join(ROOT, 'test', 'fixtures'));
  walk(join(ROOT, 'examples'));
  return files.map((file) => readFileSync(file, 'utf8'));
}

export interface FuzzFailure {
  index: number;
  mutations: string[];
  problem: string;
  /** The start of the document, enough to see its shape (the seed and index replay it whole). */
  head: string;
}

export interface FuzzReport {
  seed: number;
  documents: number;
  failures: FuzzFailure[];
  /** Slowest document, in ms, and how many took over a second. */
  maxMs: number;
  overOneSecond: number;
  slowest?: { index: number; mutations: string[]; ms: number; head: string };
  exitCodes: Record<number, number>;
}

const FORMATS = ['json', 'sarif', 'text'] as const;

interface Ranged {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** The documents of a seed, in order: the same seed replays the same run. */
export function* documentsOf(seed: number): Generator<{ text: string; mutations: string[] }> {
  const rng = random(seed);
  const seeds = corpus();
  for (;;) yield mutate(seeds, rng);
}

/** Runs `documents` mutated documents from `seed`; calls onProgress every so often. */
export async function fuzz(seed: number, documents: number, onProgress?: (done: number) => void): Promise<FuzzReport> {
  const report: FuzzReport = { seed, documents: 0, failures: [], maxMs: 0, overOneSecond: 0, exitCodes: {} };
  const generated = documentsOf(seed);
  for (let index = 0; index < documents; index++) {
    const { text, mutations } = generated.next().value!;
    const format = FORMATS[index % FORMATS.length];
    const fail = (problem: string) => report.failures.push({ index, mutations, problem, head: JSON.stringify(text.slice(0, 120)) });
    let stdout = '';
    let stderr = '';
    const started = performance.now();
    let code: number;
    try {
      code = await main(['scan', '-', '--format', format, '--severity-threshold', 'info'], {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        readStdin: () => text,
        cwd: ROOT,
      });
    } catch (error) {
      fail(`threw ${(error as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
      continue;
    } finally {
      const ms = performance.now() - started;
      if (ms > report.maxMs) report.slowest = { index, mutations, ms, head: JSON.stringify(text.slice(0, 120)) };
      report.maxMs = Math.max(report.maxMs, ms);
      if (ms > 1000) report.overOneSecond++;
      report.documents++;
    }
    report.exitCodes[code] = (report.exitCodes[code] ?? 0) + 1;
    if (![0, 1, 2].includes(code)) fail(`exit code ${code}`);
    if (/internal error/.test(stderr)) fail(stderr.trim());
    if (format !== 'text') checkStructured(format, stdout, text, fail);
    else for (const line of stdout.split('\n')) if (/ \[(rule-failed|internal-error)\] /.test(line)) fail(line);
    if (onProgress && index % 500 === 499) onProgress(index + 1);
  }
  return report;
}

function checkStructured(format: 'json' | 'sarif', stdout: string, text: string, fail: (problem: string) => void): void {
  let output;
  try {
    output = JSON.parse(stdout);
  } catch (error) {
    fail(`${format} output does not parse: ${(error as Error).message}`);
    return;
  }
  const lineLengths = text.split('\n').map((line) => line.length);
  const inside = (where: string, r: Ranged) => {
    const ok =
      r.startLine >= 1 &&
      r.startLine <= lineLengths.length &&
      r.endLine >= r.startLine &&
      r.endLine <= lineLengths.length &&
      r.startColumn >= 1 &&
      r.startColumn <= lineLengths[r.startLine - 1] + 1 &&
      r.endColumn >= 1 &&
      r.endColumn <= lineLengths[r.endLine - 1] + 1;
    if (!ok) fail(`${where} range outside the text: ${JSON.stringify(r)}`);
  };
  if (format === 'json') {
    for (const file of output.files) {
      for (const problem of file.problems) {
        inside(`problem ${problem.code}`, problem);
        if (problem.code === 'rule-failed' || problem.code === 'internal-error') fail(problem.message);
      }
      for (const finding of file.findings) {
        inside(`finding ${finding.ruleId}`, finding);
        for (const related of finding.related ?? []) inside(`related of ${finding.ruleId}`, related);
      }
    }
  } else {
    const run = output.runs?.[0];
    if (!run || !Array.isArray(run.results)) fail('sarif output has no run with results');
    for (const result of run?.results ?? []) {
      const region = result.locations[0].physicalLocation.region;
      // SARIF's endColumn is exclusive and at least one past the start on a one-line region.
      inside(`sarif result ${result.ruleId}`, { ...region, endColumn: Math.min(region.endColumn, region.endColumn - 1 || 1) });
    }
    for (const notification of run?.invocations?.[0]?.toolExecutionNotifications ?? [])
      if (notification.descriptor?.id === 'rule-failed' || notification.descriptor?.id === 'internal-error')
        fail(notification.message.text);
  }
}
