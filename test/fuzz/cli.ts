// `npm run fuzz [-- --documents N --seed S]`: the long fuzz run (22,000 documents by default). Prints the
// figures (documents, failures, slowest document) and fails on any failure or a document over one second.
import { parseArgs } from 'node:util';
import { fuzz } from './run';

async function run(): Promise<number> {
  const { values } = parseArgs({
    options: { documents: { type: 'string', default: '22000' }, seed: { type: 'string', default: String(Date.now() % 1_000_000) } },
  });
  const documents = Number(values.documents);
  const seed = Number(values.seed);
  const started = Date.now();
  console.log(`fuzz: ${documents} documents from seed ${seed} (replay with --seed ${seed})`);
  const report = await fuzz(seed, documents, (done) => console.log(`  ${done} documents, ${((Date.now() - started) / 1000).toFixed(0)} s`));
  for (const failure of report.failures)
    console.log(`FAIL document ${failure.index} (${failure.mutations.join(' + ')}): ${failure.problem}\n  ${failure.head}`);
  const slowest = report.slowest;
  console.log(
    `fuzz: ${report.documents} documents, ${report.failures.length} failures, ` +
      `max ${report.maxMs.toFixed(0)} ms per document, ${report.overOneSecond} over 1 s, exit codes ${JSON.stringify(report.exitCodes)}` +
      (slowest ? `; slowest: document ${slowest.index} (${slowest.mutations.join(' + ')})` : ''),
  );
  return report.failures.length > 0 || report.overOneSecond > 0 ? 1 : 0;
}

void run().then((code) => (process.exitCode = code));
