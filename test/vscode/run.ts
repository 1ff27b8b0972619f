// npm run test:vscode — the extension-host suite (test/vscode/suite) in a real VS Code:
//   1. a desktop VS Code through @vscode/test-electron when one is available (FINTECH_K8S_VSCODE_EXECUTABLE,
//      or a download where a display and the network allow), else
//   2. the same suite, unchanged, in code-server's extension host driven by headless Chromium.
// Two windows each time: a trusted one (the whole suite) and one in Restricted Mode (the untrusted suite).
// The closing line (`test:vscode: N passed, N failed, N skipped`) is what CI reads. With neither host, it
// says so and fails under CI=true. FINTECH_K8S_VSCODE_HOST=desktop|code-server forces a host.
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { testKubeconfigPath } from '../integration/support/cluster';
import { SUITES, type SuiteName, type SuiteResults } from './results';
import { buildSuite } from './runner/build-suite';
import { runInCodeServer, type HostRun } from './runner/code-server-host';
import { findDesktopVSCode, runOnDesktop } from './runner/desktop-host';

const ROOT = resolve(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'test', 'vscode', '.artifacts');
const ci = !!process.env.CI && process.env.CI !== 'false';

type Host = { name: string; run: (run: HostRun, profileDir: string) => Promise<number> };

async function chooseHost(): Promise<Host | { unavailable: string[] }> {
  const forced = process.env.FINTECH_K8S_VSCODE_HOST;
  const reasons: string[] = [];
  if (forced !== 'code-server') {
    const desktop = await findDesktopVSCode(join(ROOT, '.vscode-test'));
    if ('executable' in desktop)
      return { name: `desktop VS Code (${desktop.executable})`, run: (run, dir) => runOnDesktop(desktop.executable, run, dir) };
    reasons.push(`desktop VS Code: ${desktop.unavailable}`);
    if (forced === 'desktop') return { unavailable: reasons };
  }
  try {
    const { provision, ensureChromium, CODE_SERVER_VERSION, VSCODE_VERSION } = await import('../e2e/code-server.mjs');
    provision();
    ensureChromium();
    return {
      name: `code-server ${CODE_SERVER_VERSION} (VS Code ${VSCODE_VERSION}) in headless Chromium`,
      run: (run) => runInCodeServer(run),
    };
  } catch (error) {
    reasons.push(`code-server: ${(error as Error).message.split('\n')[0]}`);
    return { unavailable: reasons };
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function runWindow(
  host: Host,
  suite: SuiteName,
  suiteDir: string,
  temp: string,
  kubeconfig: string | undefined,
): Promise<SuiteResults> {
  const dir = join(temp, suite);
  const workspace = join(dir, 'examples');
  cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
  const resultsFile = join(dir, 'results.json');
  // Never the user's own kubeconfig: a copy of the test cluster's, or a file that does not exist.
  const kube = join(dir, 'kube', 'config');
  mkdirSync(join(dir, 'kube'));
  if (kubeconfig) copyFileSync(kubeconfig, kube);
  const env: Record<string, string> = {
    FINTECH_K8S_VSCODE_SUITE: suite,
    FINTECH_K8S_VSCODE_RESULTS: resultsFile,
    KUBECONFIG: kube,
    ...(kubeconfig ? { FINTECH_K8S_VSCODE_CLUSTER: '1' } : {}),
    ...(ci ? { CI: 'true' } : {}),
    ...(process.env.FINTECH_K8S_VSCODE_GREP ? { FINTECH_K8S_VSCODE_GREP: process.env.FINTECH_K8S_VSCODE_GREP } : {}),
  };
  console.log(`\n▶ ${suite} window: ${SUITES[suite].join(', ')}`);
  const started = Date.now();
  const code = await host.run(
    { workspace, suiteDir, extensionDir: ROOT, env, trusted: suite === 'trusted', artifacts: ARTIFACTS },
    join(dir, 'profile'),
  );
  if (!existsSync(resultsFile)) {
    return {
      suite,
      passed: 0,
      failed: 1,
      pending: 0,
      durationMs: Date.now() - started,
      tests: [{ title: `${suite} window: the suite reported no results (exit code ${code})`, state: 'failed' }],
    };
  }
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResults;
  if (code !== 0 && results.failed === 0) {
    results.tests.push({ title: `${suite} window: exit code ${code} with no failed test`, state: 'failed' });
    results.failed++;
  }
  if (code === 0 && results.failed > 0) throw new Error(`${suite} window: exit code 0 but ${results.failed} failed tests`);
  return results;
}

/** The tests of one window with their times, printed as soon as the window is done. */
function report(results: SuiteResults): void {
  console.log(
    `  ${results.suite} window: ${results.passed} passed, ${results.failed} failed, ${results.pending} skipped (${seconds(results.durationMs)})`,
  );
  for (const test of results.tests) {
    const mark = test.state === 'passed' ? '✔' : test.state === 'failed' ? '✖' : '-';
    const time = test.durationMs !== undefined ? ` (${test.durationMs} ms)` : test.state === 'pending' ? ' (skipped)' : '';
    console.log(`    ${mark} ${test.title}${time}`);
    if (test.error) console.log(test.error.replace(/^/gm, '        '));
  }
}

/** Both windows, or those named in FINTECH_K8S_VSCODE_SUITES (comma-separated), e.g. while working on one. */
function windows(): SuiteName[] {
  const all = Object.keys(SUITES) as SuiteName[];
  const named = process.env.FINTECH_K8S_VSCODE_SUITES?.split(',').map((s) => s.trim());
  if (!named) return all;
  const unknown = named.filter((name) => !all.includes(name as SuiteName));
  if (unknown.length) throw new Error(`FINTECH_K8S_VSCODE_SUITES: unknown ${unknown.join(', ')} (known: ${all.join(', ')})`);
  return named as SuiteName[];
}

async function main(): Promise<number> {
  const started = Date.now();
  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  const suiteDir = await buildSuite(ROOT);
  const host = await chooseHost();
  if ('unavailable' in host) {
    console.log(`test:vscode: no VS Code to run the extension-host suite in:\n  ${host.unavailable.join('\n  ')}`);
    console.log(`test:vscode: not run${ci ? ' (CI needs it: failing)' : ''}`);
    return ci ? 1 : 0;
  }
  console.log(`test:vscode: running in ${host.name}`);
  const kubeconfig = testKubeconfigPath();
  console.log(
    kubeconfig
      ? `test:vscode: test cluster kubeconfig ${kubeconfig}`
      : 'test:vscode: no test cluster: the Clusters tree tests will be skipped',
  );

  const temp = mkdtempSync(join(tmpdir(), 'fintech-k8s-vscode-'));
  const all: SuiteResults[] = [];
  try {
    for (const suite of windows()) {
      const results = await runWindow(host, suite, suiteDir, temp, kubeconfig);
      report(results);
      all.push(results);
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  const sum = (key: 'passed' | 'failed' | 'pending') => all.reduce((n, r) => n + r[key], 0);
  console.log(
    `\ntest:vscode: ${sum('passed')} passed, ${sum('failed')} failed, ${sum('pending')} skipped in ${seconds(Date.now() - started)} (${host.name})`,
  );
  return sum('failed') > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`test:vscode: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    process.exit(1);
  },
);
