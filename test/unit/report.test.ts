// The compliance report: grouping by PCI DSS requirement (numeric order, every mapped requirement),
// suppressed findings apart, HTML that cannot be injected into, and the `report` CLI command.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../server/cli/cli';
import { PROJECT_URL } from '../../server/engine/docs-url';
import { buildReport, compareRequirements } from '../../server/engine/format/report';
import { renderReportHtml } from '../../server/engine/format/report-html';
import { renderReportMarkdown } from '../../server/engine/format/report-markdown';
import { RULES_BY_ID } from '../../server/engine/rules';
import type { FileResult, Finding, RuleMeta, Severity, Suppression } from '../../server/engine/types';

const FIXTURES = resolve(__dirname, '..', 'fixtures', 'cli');
const OPTIONS = { generatedAt: new Date('2025-01-02T03:04:05Z'), version: '9.9.9' };
const DOCS_PREFIX = `${PROJECT_URL}/blob/main/docs/rules/`;

function rule(id: string, severity: Severity, references: RuleMeta['references']): RuleMeta {
  return { id, group: 'pod-security', title: `Title of ${id}`, severity, rationale: '', remediation: '', references };
}

const RULES: RuleMeta[] = [
  rule('multi', 'error', { pci: ['10.2.1', '1.2.5', '2.2.6'], pss: 'restricted', cis: ['5.2.12'] }),
  rule('single', 'warning', { pci: ['1.3.1'], pss: 'baseline', cis: ['5.2.7'], nsa: ['Pod security: non-root containers'] }),
  rule('clean', 'warning', { pci: ['1.3.1', '2.2.6'], pss: 'baseline' }),
  rule('unmapped', 'info', { pci: [] }),
];

function finding(ruleId: string, severity: Severity, line: number, name: string, suppressed?: Suppression): Finding {
  const position = { line: line - 1, character: 2 };
  return {
    ruleId,
    severity,
    message: `message of ${ruleId} on ${name}`,
    file: 'app.yaml',
    span: { start: line * 10, end: line * 10 + 1 },
    range: { start: position, end: position },
    path: [],
    docIndex: 0,
    object: { kind: 'Deployment', apiVersion: 'apps/v1', name, namespace: 'payments' },
    ...(suppressed ? { suppressed } : {}),
  };
}

function results(name = 'api'): FileResult[] {
  return [
    {
      file: 'app.yaml',
      objects: [{ kind: 'Deployment', apiVersion: 'apps/v1', name, namespace: 'payments' }],
      problems: [],
      findings: [
        finding('multi', 'error', 12, name),
        finding('single', 'warning', 20, name, { by: 'annotation', reason: `accepted risk for ${name}` }),
        finding('unmapped', 'info', 30, name),
      ],
    },
  ];
}

async function cli(args: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: () => stdin, cwd: FIXTURES });
  return { code, stdout, stderr };
}

describe('buildReport', () => {
  it('orders requirements numerically', async () => {
    assert.deepEqual(['10.2.1', '1.3.1', '1.2', '2.2.6', '1.2.5', '12.3.1'].sort(compareRequirements), [
      '1.2',
      '1.2.5',
      '1.3.1',
      '2.2.6',
      '10.2.1',
      '12.3.1',
    ]);
  });

  it('lists a finding under every requirement its rule maps to, in numeric order', async () => {
    const report = buildReport(results(), RULES);
    assert.deepEqual(
      report.pci.map((g) => g.id),
      ['1.2.5', '1.3.1', '2.2.6', '10.2.1'],
    );
    for (const id of ['1.2.5', '2.2.6', '10.2.1']) {
      const group = report.pci.find((g) => g.id === id)!;
      assert.deepEqual(
        group.findings.map((f) => [f.ruleId, f.object, f.file, f.line]),
        [['multi', 'Deployment/payments/api', 'app.yaml', 12]],
        id,
      );
      assert.deepEqual(group.counts, { error: 1, warning: 0, info: 0 });
    }
    assert.deepEqual(
      report.pciUnmapped.findings.map((f) => f.ruleId),
      ['unmapped'],
    );
    assert.deepEqual(
      report.podSecurity.map((g) => [g.id, g.findings.length]),
      [
        ['baseline', 0],
        ['restricted', 1],
      ],
    );
    assert.deepEqual(
      report.cis.map((g) => g.id),
      ['5.2.7', '5.2.12'],
    );
    assert.equal(report.nsa[0].id, 'Pod security: non-root containers');
  });

  it('lists suppressed findings with their reason, never counted as open, and rules without findings as passed', async () => {
    const report = buildReport(results(), RULES);
    assert.deepEqual(report.totals.open, { error: 1, warning: 0, info: 1 });
    assert.equal(report.totals.openTotal, 2);
    assert.equal(report.totals.suppressed, 1);
    assert.deepEqual(
      report.suppressed.map((s) => [s.ruleId, s.suppressed.by, s.suppressed.reason]),
      [['single', 'annotation', 'accepted risk for api']],
    );
    const req131 = report.pci.find((g) => g.id === '1.3.1')!;
    assert.deepEqual(req131.findings, []);
    assert.deepEqual(req131.counts, { error: 0, warning: 0, info: 0 });
    assert.equal(req131.suppressedCount, 1);
    assert.deepEqual(
      req131.passedRules.map((r) => r.id),
      ['clean'],
    );
    assert.deepEqual(
      req131.suppressedRules.map((r) => r.id),
      ['single'],
    );
    assert.deepEqual(
      report.pci.find((g) => g.id === '2.2.6')!.failedRules.map((r) => r.id),
      ['multi'],
    );
    assert.deepEqual(report.scope, [{ file: 'app.yaml', objects: ['Deployment/payments/api'], problems: [] }]);
  });
});

describe('report rendering', () => {
  const hostile = '<script>alert("x")</script><img src=https://evil.example/x.png>';

  it('Markdown has a heading per requirement, in order, and the suppressed section with reasons', async () => {
    const markdown = renderReportMarkdown(buildReport(results(), RULES), OPTIONS);
    assert.match(markdown, /^# .*compliance report/m);
    assert.match(markdown, /^Generated 2025-01-02T03:04:05\.000Z by fintech-k8s 9\.9\.9\.$/m);
    const headings = [...markdown.matchAll(/^### Requirement (.+)$/gm)].map((m) => m[1]);
    assert.deepEqual(headings, ['1.2.5', '1.3.1', '2.2.6', '10.2.1']);
    assert.match(markdown, /^### Not mapped to a PCI DSS requirement$/m);
    assert.match(markdown, /^### Pod Security level: restricted$/m);
    assert.match(markdown, /^### CIS control 5\.2\.12$/m);
    assert.match(markdown, /^## Suppressed findings\n\n\| Rule .*\| Reason \|$/m);
    assert.match(markdown, /\| annotation \| accepted risk for api \|$/m);
    assert.match(markdown, /^- Open findings: 2 \(1 error, 0 warning, 1 info\)$/m);
  });

  it('HTML escapes manifest text, has the CSP, and links only to rule docs', async () => {
    const html = renderReportHtml(buildReport(results(hostile), RULES), OPTIONS);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img/i);
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`));
    assert.doesNotMatch(html, /<(link|img|iframe|object|embed|base|form)\b|url\(|@import/i);
    for (const [url] of html.matchAll(/https?:\/\/[^\s"'<>)]+/g)) {
      if (url.startsWith('https://evil.example')) {
        // Only as escaped text inside a cell, never as an attribute.
        assert.ok(html.includes(`&lt;img src=${url}`));
        continue;
      }
      assert.ok(url.startsWith(DOCS_PREFIX), url);
    }
    assert.ok(html.includes(`href="${DOCS_PREFIX}multi.md"`));
    assert.match(html, /<time datetime="2025-01-02T03:04:05\.000Z">/);
    assert.ok(html.includes('accepted risk for &lt;script&gt;'));
  });

  it('Markdown escapes manifest text too', async () => {
    const markdown = renderReportMarkdown(buildReport(results(hostile), RULES), OPTIONS);
    assert.doesNotMatch(markdown, /<script|<img/i);
  });
});

describe('fintech-k8s report', () => {
  it('prints Markdown with a heading for every requirement of the findings, and exits like scan', async () => {
    const result = await cli(['report', 'findings.yaml']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^# /);
    const json = JSON.parse((await cli(['scan', 'findings.yaml', '--format', 'json'])).stdout);
    const requirements = new Set<string>();
    for (const f of json.files[0].findings) for (const pci of RULES_BY_ID.get(f.ruleId)!.references.pci) requirements.add(pci);
    assert.ok(requirements.has('2.2.6'));
    for (const id of requirements) assert.match(result.stdout, new RegExp(`^### Requirement ${id.replace(/\./g, '\\.')}$`, 'm'), id);
    const headings = [...result.stdout.matchAll(/^### Requirement (.+)$/gm)].map((m) => m[1]);
    assert.deepEqual(headings, [...headings].sort(compareRequirements));
    assert.match(result.stdout, /\| \[privileged-container\]\(https:\/\/[^)]+\) \| error \| Pod\/payments\/debug \| findings\.yaml:11 \|/);
  });

  it('exit codes: 0 under the threshold, 1 findings, 2 usage and YAML errors', async () => {
    assert.equal((await cli(['report', 'hardened.yaml', 'not-kubernetes.yaml', '--severity-threshold', 'info'])).code, 0);
    assert.equal((await cli(['report', 'findings.yaml', '--format', 'html'])).code, 1);
    const broken = await cli(['report', 'broken.yaml']);
    assert.equal(broken.code, 2);
    assert.match(broken.stdout, /yaml-syntax/, 'the file that could not be analysed is in the scope');
    for (const args of [['report'], ['report', 'findings.yaml', '--format', 'sarif'], ['scan', 'findings.yaml', '--output', 'x']]) {
      const result = await cli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /^fintech-k8s: /);
    }
    assert.equal((await cli(['report', 'does-not-exist.yaml'])).code, 2);
  });

  it('counts a suppressed finding apart and lists its reason', async () => {
    const text = readFileSync(join(FIXTURES, 'findings.yaml'), 'utf8').replace(
      '        privileged: true',
      '        # fintech-k8s-ignore privileged-container: break-glass <b>debug</b> pod\n        privileged: true',
    );
    const result = await cli(['report', '-', '--format', 'html'], text);
    assert.match(
      result.stdout,
      /privileged-container<\/a><\/td><td class="sev-error">error<\/td>.*<td>comment<\/td><td>break-glass &lt;b&gt;debug&lt;\/b&gt; pod<\/td>/,
    );
    assert.doesNotMatch(result.stdout, /<b>/);
    assert.match(result.stdout, /Suppressed findings: 1 /);
  });

  it('--output writes the file and prints its path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fintech-k8s-report-'));
    const out = join(dir, 'report.html');
    const result = await cli(['report', 'findings.yaml', '--format', 'html', '--output', out]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, `${out}\n`);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /Content-Security-Policy/);
    const unwritable = await cli(['report', 'findings.yaml', '--output', join(dir, 'missing', 'r.md')]);
    assert.equal(unwritable.code, 2);
    assert.match(unwritable.stderr, /cannot write/);
    assert.ok(!existsSync(join(dir, 'missing')));
  });
});
