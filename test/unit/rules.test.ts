// Every rule against its own fixtures: it flags fail.yaml at exactly the marked lines, stays silent on
// pass.yaml, and each quick fix it offers removes the finding without touching comments.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeText } from '../../server/engine/engine';
import { applyEdits, fixEdits } from '../../server/engine/fixes';
import { ALL_RULES } from '../../server/engine/rules';
import type { Finding } from '../../server/engine/types';
import { expectedLines, fixtureDir, loadFixture } from '../support/fixtures';

const active = (findings: Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId && !f.suppressed);

for (const rule of ALL_RULES) {
  describe(`rule ${rule.id}`, () => {
    const fixture = loadFixture(rule);

    it('has fixtures and complete metadata', () => {
      assert.ok(fixture, `missing ${fixtureDir(rule)}/{fail,pass}.yaml`);
      assert.match(rule.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const field of ['title', 'rationale', 'remediation'] as const) assert.ok(rule[field].length > 10, `${field} too short`);
      assert.ok(Array.isArray(rule.references.pci));
    });
    if (!fixture) return;

    it('flags fail.yaml at the marked lines', () => {
      const expected = expectedLines(fixture.fail, rule.id);
      assert.ok(expected.length > 0, 'fail.yaml marks no line with # expect');
      const result = analyzeText('fail.yaml', fixture.fail, { config: fixture.config });
      assert.deepEqual(result.problems, []);
      const lines = active(result.findings, rule.id)
        .map((f) => f.range.start.line)
        .sort((a, b) => a - b);
      assert.deepEqual(
        lines,
        expected.sort((a, b) => a - b),
        'finding lines (0-based)',
      );
    });

    it('passes pass.yaml', () => {
      const result = analyzeText('pass.yaml', fixture.pass, { config: fixture.config });
      assert.deepEqual(result.problems, []);
      assert.ok(result.objects.length > 0, 'pass.yaml holds no Kubernetes object');
      assert.deepEqual(
        active(result.findings, rule.id).map((f) => `${f.range.start.line}: ${f.message}`),
        [],
      );
    });

    const fixable = active(analyzeText('fail.yaml', fixture.fail, { config: fixture.config }).findings, rule.id).filter((f) => f.fix);
    for (const finding of fixable) {
      it(`fix "${finding.fix!.title}" at line ${finding.range.start.line + 1} removes that finding and keeps comments`, () => {
        const fixed = applyEdits(fixture.fail, fixEdits(fixture.fail, finding));
        const after = analyzeText('fail.yaml', fixed, { config: fixture.config });
        assert.deepEqual(after.problems, [], `fixed text:\n${fixed}`);
        const before = active(analyzeText('fail.yaml', fixture.fail, { config: fixture.config }).findings, rule.id).length;
        assert.equal(active(after.findings, rule.id).length, before - 1, `fixed text:\n${fixed}`);
        const comments = (text: string) =>
          text
            .split('\n')
            .filter((l) => l.includes('#'))
            .map((l) => l.slice(l.indexOf('#')));
        assert.deepEqual(comments(fixed), comments(fixture.fail));
      });
    }
  });
}
