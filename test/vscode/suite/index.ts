// The extension-host suite's entry, as @vscode/test-electron and @vscode/test-cli expect: `run()` runs
// Mocha over the suite files inside VS Code's extension host and rejects when a test fails. The same
// file runs in a desktop VS Code and in code-server's extension host; the runner (test/vscode/run.ts)
// reads the outcome from the JSON file named by FINTECH_K8S_VSCODE_RESULTS.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { SUITES, type SuiteName, type SuiteResults } from '../results';

function suiteName(): SuiteName {
  const name = process.env.FINTECH_K8S_VSCODE_SUITE ?? 'trusted';
  if (!(name in SUITES)) throw new Error(`FINTECH_K8S_VSCODE_SUITE=${name}: expected one of ${Object.keys(SUITES).join(', ')}`);
  return name as SuiteName;
}

export function run(): Promise<void> {
  const suite = suiteName();
  // Each test waits for exact states with its own bounds; this only stops a test that hangs.
  // FINTECH_K8S_VSCODE_GREP: run only the tests whose full title matches (while working on one).
  const grep = process.env.FINTECH_K8S_VSCODE_GREP;
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 240_000, ...(grep ? { grep } : {}) });
  for (const name of SUITES[suite]) mocha.addFile(join(__dirname, `${name}.test.js`));

  const results: SuiteResults = { suite, passed: 0, failed: 0, pending: 0, durationMs: 0, tests: [] };
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      results.durationMs = Date.now() - started;
      const file = process.env.FINTECH_K8S_VSCODE_RESULTS;
      if (file) writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
      if (failures > 0) reject(new Error(`${failures} of ${results.tests.length} extension-host tests failed`));
      else resolve();
    });
    runner.on('pass', (test) => {
      results.passed++;
      results.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
    });
    runner.on('fail', (test, error: Error) => {
      results.failed++;
      results.tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration, error: error?.stack ?? String(error) });
    });
    runner.on('pending', (test) => {
      results.pending++;
      results.tests.push({ title: test.fullTitle(), state: 'pending' });
    });
  });
}
