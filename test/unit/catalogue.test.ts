// The rules in code against the product's catalogue (RULES.md in the design notes beside the repo):
// same ids, groups and default severities, and a quick fix exactly where the catalogue promises one.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeText } from '../../server/engine/engine';
import { ALL_RULES } from '../../server/engine/rules';
import { loadFixture } from '../support/fixtures';

const CATALOGUE = resolve(__dirname, '..', '..', '..', 'shared', 'RULES.md');

interface Entry {
  id: string;
  group: string;
  severity: string;
  fix: boolean;
}

function readCatalogue(text: string): Entry[] {
  const entries: Entry[] = [];
  let group = '';
  for (const line of text.split('\n')) {
    const heading = /^## ([a-z-]+)/.exec(line);
    if (heading) group = heading[1];
    const row = /^\| ([a-z0-9-]+) \| (error|warning|info) \| (yes|no) \|/.exec(line);
    if (row) entries.push({ id: row[1], group, severity: row[2], fix: row[3] === 'yes' });
  }
  return entries;
}

// The catalogue lives in the design notes checked out beside the repo (as in CI); without it there is
// nothing to compare against.
const available = existsSync(CATALOGUE);
describe('rule catalogue', { skip: available ? false : `catalogue not found at ${CATALOGUE}` }, () => {
  const entries = available ? readCatalogue(readFileSync(CATALOGUE, 'utf8')) : [];
  const byId = new Map(entries.map((e) => [e.id, e]));

  it('parses the catalogue', () => {
    assert.ok(entries.length > 90, `${entries.length} entries`);
  });

  it('implements every catalogue rule', () => {
    const implemented = new Set(ALL_RULES.map((r) => r.id));
    const missing = entries.filter((e) => !implemented.has(e.id)).map((e) => e.id);
    assert.deepEqual(missing, []);
  });

  for (const rule of ALL_RULES) {
    it(`${rule.id} matches its catalogue entry`, () => {
      const entry = byId.get(rule.id);
      assert.ok(entry, `${rule.id} is not in the catalogue`);
      assert.equal(rule.group, entry.group);
      assert.equal(rule.severity, entry.severity);
      const fixture = loadFixture(rule);
      assert.ok(fixture);
      const offersFix = analyzeText('fail.yaml', fixture.fail, { config: fixture.config }).findings.some(
        (f) => f.ruleId === rule.id && f.fix,
      );
      assert.equal(offersFix, entry.fix, entry.fix ? 'catalogue promises a quick fix' : 'catalogue says the remedy is not mechanical');
    });
  }
});
