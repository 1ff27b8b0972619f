// New Chart from Template: each scaffold, written under a chart name and rendered by the real helm, has no
// finding at warning or above (the blockchain chart in both its Ethereum and its Bitcoin Core form).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyze } from '../../server/engine/engine';
import { resolveConfig } from '../../server/engine/config';
import { atLeast } from '../../server/engine/types';
import { discoverRoots, renderRoot, resultsOnSources } from '../../server/render';
import { listScaffolds, writeScaffold } from '../../src/templates/chart-scaffold';
import { ensureRenderers } from '../tools/renderers.mjs';

const SCAFFOLDS = resolve(__dirname, '..', '..', 'chart-scaffolds');

const SCAFFOLD_VARIANTS: { id: string; set: string[] }[] = [
  { id: 'payments-api', set: [] },
  { id: 'blockchain-node', set: [] },
  { id: 'blockchain-node', set: ['ethereum.enabled=false', 'bitcoin.enabled=true'] },
];

describe('chart scaffolds', () => {
  let helm: string;
  let dir: string;
  before(() => {
    helm = ensureRenderers().helm;
    dir = mkdtempSync(join(tmpdir(), 'fintech-k8s-scaffold-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('ships a payments API chart and a blockchain node chart', () => {
    assert.deepEqual(
      listScaffolds(SCAFFOLDS)
        .map((s) => s.id)
        .sort(),
      ['blockchain-node', 'payments-api'],
    );
  });

  it('names the chart and its helpers after the name given, leaving no placeholder', () => {
    const scaffold = listScaffolds(SCAFFOLDS).find((s) => s.id === 'payments-api')!;
    const files = writeScaffold(scaffold, join(dir, 'card-api'), 'card-api');
    assert.match(readFileSync(join(dir, 'card-api', 'Chart.yaml'), 'utf8'), /^name: card-api$/m);
    for (const file of files) assert.doesNotMatch(readFileSync(file, 'utf8'), /__CHART__/, file);
    assert.throws(() => writeScaffold(scaffold, join(dir, 'card-api'), 'card-api'), /already exists/);
  });

  for (const variant of SCAFFOLD_VARIANTS) {
    it(`${variant.id}${variant.set.length ? ` (${variant.set.join(', ')})` : ''} renders with no finding at warning or above`, async () => {
      const scaffold = listScaffolds(SCAFFOLDS).find((s) => s.id === variant.id)!;
      const target = join(dir, `${variant.id}-${variant.set.length}`);
      writeScaffold(scaffold, target, 'ledger');
      const { roots } = discoverRoots([join(target, 'Chart.yaml')]);
      const rendered = await renderRoot({
        root: roots[0],
        program: helm,
        kubernetesVersion: '1.37',
        helm: { valuesFiles: [], set: variant.set, namespace: 'payments' },
      });
      assert.deepEqual(rendered.problems, []);
      assert.ok(rendered.files.length >= 5);
      const config = resolveConfig(undefined);
      const results = resultsOnSources(rendered, analyze(rendered.files, { config }));
      const serious = results.flatMap((r) => r.findings.filter((f) => atLeast(f.severity, 'warning')));
      assert.deepEqual(
        serious.map((f) => `${f.file}:${f.range.start.line + 1} ${f.ruleId}: ${f.message}`),
        [],
      );
    });
  }
});
