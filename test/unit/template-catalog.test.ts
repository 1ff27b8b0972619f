// The quick pick reads templates back from the generated snippet files: same titles, prefixes and bodies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTemplate, SNIPPETS_DIR, templateFiles } from '../../scripts/snippets';
import { readTemplates, validateObjectName } from '../../src/templates/catalog';
import { defaultOf } from '../../src/templates/snippet-syntax';

describe('template catalog', () => {
  it('reads back exactly the templates the snippet files were generated from', async () => {
    const fromSnippets = await readTemplates(SNIPPETS_DIR);
    const fromSources = templateFiles().map(loadTemplate);
    assert.deepEqual(
      fromSnippets.map((t) => [t.group, t.prefix, t.title, t.body]).sort(),
      fromSources.map((t) => [t.group, t.prefix, t.title, t.body]).sort(),
    );
  });

  it('offers each template a default name, and a namespace where it has one', async () => {
    for (const template of await readTemplates(SNIPPETS_DIR)) {
      const name = defaultOf(template.body, 1);
      assert.equal(validateObjectName(name ?? ''), undefined, `${template.prefix}: default name "${name}"`);
      const namespace = defaultOf(template.body, 2);
      if (namespace !== undefined) assert.equal(validateObjectName(namespace), undefined, `${template.prefix}: namespace`);
    }
  });

  it('validates names as the API server will', () => {
    assert.equal(validateObjectName('payments-api'), undefined);
    for (const bad of ['', 'Payments', '-api', 'api-', 'a_b', 'x'.repeat(64)]) assert.ok(validateObjectName(bad), bad);
  });
});
