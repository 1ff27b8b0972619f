// The generated rule pages (docs/rules) must match the rules in code: run `npm run docs` after a change.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DOCS_DIR, renderAll } from '../../scripts/rule-docs';

describe('rule docs', () => {
  const pages = renderAll();

  it('has one page per rule plus the index, and nothing else', () => {
    assert.ok(existsSync(DOCS_DIR), 'docs/rules is missing: run npm run docs');
    assert.deepEqual(readdirSync(DOCS_DIR).sort(), [...pages.keys()].sort());
  });

  for (const [name, text] of pages) {
    it(`${name} is up to date`, () => {
      assert.equal(readFileSync(join(DOCS_DIR, name), 'utf8'), text, `docs/rules/${name} is stale: run npm run docs`);
    });
  }

  it('shows the failing and passing examples without test markers', () => {
    const page = pages.get('run-as-non-root.md')!;
    assert.match(page, /## Flagged\n\n```yaml\n[\s\S]*runAsNonRoot: false/);
    assert.doesNotMatch(page, /# expect:/);
  });
});
