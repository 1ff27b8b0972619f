// Keeps what a mutation fuzzer found found: a few thousand documents mutated from the project's own
// manifests go through the CLI's main with a fixed seed (test/fuzz). The long run is `npm run fuzz`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuzz } from '../fuzz/run';

const SEED = 20261206;
const DOCUMENTS = 3000;

describe('fuzz: mutated manifests through the CLI', () => {
  it(
    `${DOCUMENTS} documents: no throw, exit code 0/1/2, output that parses, ranges inside the text, no rule failing`,
    { timeout: 900_000 },
    async (t) => {
      const report = await fuzz(SEED, DOCUMENTS);
      t.diagnostic(
        `${report.documents} documents, ${report.failures.length} failures, max ${report.maxMs.toFixed(0)} ms per document, ` +
          `${report.overOneSecond} over 1 s, exit codes ${JSON.stringify(report.exitCodes)}`,
      );
      assert.equal(report.documents, DOCUMENTS);
      assert.deepEqual(report.failures, []);
      // Not a timing test (speed targets live in the bench): only a bound far above the worst seen (~0.5 s),
      // which the quadratic and exponential cases the fuzzer found (30 s, 77 s) cross on any machine.
      assert.ok(
        report.maxMs < 20_000,
        `document ${report.slowest?.index} (${report.slowest?.mutations.join(' + ')}) took ${report.maxMs.toFixed(0)} ms`,
      );
      // Every kind of outcome occurs, so the mutations reach past the parser.
      for (const code of [0, 1, 2]) assert.ok((report.exitCodes[code] ?? 0) > 0, `exit code ${code} never seen`);
    },
  );
});
