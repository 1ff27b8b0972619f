// Snippets and templates: well-formed, unique, generated from the templates (one source), and each
// expansion with its defaults passes our own rules (every rule implemented today).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeText } from '../../server/engine/engine';
import { atLeast } from '../../server/engine/types';
import { loadTemplate, renderSnippetFiles, SNIPPETS_DIR, templateFiles } from '../../scripts/snippets';
import { expandSnippet, fillTabstops, parseSnippet, SnippetSyntaxError } from '../../src/templates/snippet-syntax';

const manifest = JSON.parse(readFileSync(join(SNIPPETS_DIR, '..', 'package.json'), 'utf8'));

describe('snippet syntax', () => {
  it('expands defaults, mirrors and choices, and unescapes \\$', () => {
    assert.equal(
      expandSnippet('name: ${1:api}\nalso: $1\nmode: ${2|Forbid,Replace|}\ncost: \\$5\n$0'),
      'name: api\nalso: api\nmode: Forbid\ncost: $5\n',
    );
  });

  it('lets values override tab stops', () => {
    assert.equal(expandSnippet('${1:api}.${2:payments}', { 2: 'cards' }), 'api.cards');
  });

  it('rejects malformed placeholders and stray dollars', () => {
    assert.throws(() => parseSnippet('${1:unclosed'), SnippetSyntaxError);
    assert.throws(() => parseSnippet('cost: $HOME'), SnippetSyntaxError);
    assert.throws(() => parseSnippet('${1|only|}'), SnippetSyntaxError);
  });

  it('fills some tab stops and keeps the others editable', () => {
    assert.equal(
      fillTabstops('${1:api} ${2:ns} ${3:img} ${4|a,b|} $0 \\$x', { 1: 'ledger', 2: 'p$1' }),
      'ledger p\\$1 ${3:img} ${4|a,b|} $0 \\$x',
    );
  });
});

describe('snippets', () => {
  const files = templateFiles();
  const templates = files.map(loadTemplate);

  it('has the payments and blockchain templates the product promises', () => {
    assert.ok(templates.filter((t) => t.group === 'payments').length >= 12, 'payments');
    assert.ok(templates.filter((t) => t.group === 'blockchain').length >= 10, 'blockchain');
  });

  it('prefixes start with fk- and are unique; titles are unique', () => {
    const prefixes = templates.map((t) => t.prefix);
    assert.ok(
      prefixes.every((p) => /^fk-[a-z0-9-]+$/.test(p)),
      prefixes.join(' '),
    );
    assert.equal(new Set(prefixes).size, prefixes.length);
    assert.equal(new Set(templates.map((t) => t.title)).size, templates.length);
  });

  it('the .code-snippets files are generated from the templates (run npm run snippets)', () => {
    for (const [name, text] of renderSnippetFiles()) {
      assert.equal(readFileSync(join(SNIPPETS_DIR, name), 'utf8'), text, `${name} is stale`);
      const parsed = JSON.parse(text);
      for (const snippet of Object.values<{ prefix: string; body: string[] }>(parsed)) assert.ok(Array.isArray(snippet.body));
    }
    const generated = readdirSync(SNIPPETS_DIR).filter((n) => n.endsWith('.code-snippets'));
    assert.deepEqual(generated.sort(), [...renderSnippetFiles().keys()].sort());
  });

  it('package.json contributes every snippet file for yaml', () => {
    const contributed = manifest.contributes.snippets.map((s: { language: string; path: string }) => `${s.language}:${basename(s.path)}`);
    assert.deepEqual(contributed.sort(), [...renderSnippetFiles().keys()].map((n) => `yaml:${n}`).sort());
  });

  for (const [i, template] of templates.entries()) {
    describe(`${template.prefix} (${basename(files[i])})`, () => {
      it('is well formed: $1 is a name, $2 a namespace, ends with $0', () => {
        const parts = parseSnippet(template.body);
        const stops = new Set(parts.flatMap((p) => ('tabstop' in p ? [p.tabstop] : [])));
        assert.ok(stops.has(1) && stops.has(0), 'needs $1 and $0');
        assert.match(expandSnippet(template.body, {}), /name: [a-z0-9]([-a-z0-9]*[a-z0-9])?\b/);
        assert.ok(template.description.length > 20, 'a one-line description of what it is for');
      });

      it('expands with its defaults to manifests our rules pass (nothing at warning or above)', () => {
        const result = analyzeText('snippet.yaml', expandSnippet(template.body));
        assert.deepEqual(result.problems, []);
        assert.ok(result.objects.length > 0);
        const serious = result.findings.filter((f) => !f.suppressed && atLeast(f.severity, 'warning'));
        assert.deepEqual(
          serious.map((f) => `${f.range.start.line + 1}: [${f.ruleId}] ${f.message}`),
          [],
        );
      });

      it('keeps other names and namespaces consistent when the user types new ones', () => {
        const text = expandSnippet(template.body, { 1: 'renamed-app', 2: 'renamed-ns' });
        const result = analyzeText('snippet.yaml', text);
        assert.deepEqual(result.problems, []);
        if (template.body.includes('${2:'))
          assert.ok(
            result.objects.every((o) => o.namespace === 'renamed-ns' || o.kind === 'Namespace' || o.namespace === undefined),
            'every namespace follows $2',
          );
      });
    });
  }
});
