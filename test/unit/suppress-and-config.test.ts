// Suppressions (annotation and comment), reasons, and `.fintech-k8s.yaml` settings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfigFile, resolveConfig } from '../../server/engine/config';
import { analyzeText } from '../../server/engine/engine';
import { ALL_RULES } from '../../server/engine/rules';
import type { FileResult } from '../../server/engine/types';

const IDS = new Set(ALL_RULES.map((r) => r.id));

function pod(annotations = '', containerComment = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: payments${annotations ? `\n  annotations:\n${annotations}` : ''}
spec:
  containers:
${containerComment}    - name: api
      image: registry.example.com/api:1.0.0
`;
}

const of = (result: FileResult, ruleId: string) => result.findings.filter((f) => f.ruleId === ruleId);

describe('suppressions', () => {
  it('an annotation with a reason silences the rule for that object and keeps the reason', () => {
    const result = analyzeText('x.yaml', pod('    ignore.fintech-k8s.io/run-as-non-root: "vendor image, exception PCI-2026-01"'));
    const [finding] = of(result, 'run-as-non-root');
    assert.deepEqual(finding.suppressed, { by: 'annotation', reason: 'vendor image, exception PCI-2026-01' });
    assert.equal(of(result, 'suppression-without-reason').length, 0);
  });

  it('an annotation without a reason still silences but is itself a warning at the annotation', () => {
    const result = analyzeText('x.yaml', pod('    ignore.fintech-k8s.io/run-as-non-root: ""'));
    assert.ok(of(result, 'run-as-non-root')[0].suppressed);
    const [meta] = of(result, 'suppression-without-reason');
    assert.equal(meta.severity, 'warning');
    assert.equal(meta.range.start.line, 6);
  });

  it('a comment on the line above silences, and only the named rule', () => {
    const result = analyzeText('x.yaml', pod('', '    # fintech-k8s-ignore run-as-non-root: distroless image runs as 65532\n'));
    assert.deepEqual(of(result, 'run-as-non-root')[0].suppressed, { by: 'comment', reason: 'distroless image runs as 65532' });
    const others = result.findings.filter((f) => f.ruleId !== 'run-as-non-root' && f.range.start.line === 8);
    assert.ok(others.length > 0 && others.every((f) => !f.suppressed), 'other rules on the line stay active');
  });

  it('a comment several lines away does not silence', () => {
    const text = pod().replace('spec:\n', 'spec:\n  # fintech-k8s-ignore run-as-non-root: too far away\n  hostname: api\n');
    assert.equal(of(analyzeText('x.yaml', text), 'run-as-non-root')[0].suppressed, undefined);
  });

  it('a comment without a reason, or with an unknown rule id, is a warning', () => {
    const result = analyzeText(
      'x.yaml',
      pod('', '    # fintech-k8s-ignore run-as-non-root\n    # fintech-k8s-ignore run-as-nonroot: typo\n'),
    );
    assert.equal(of(result, 'suppression-without-reason').length, 1);
    const [unknown] = of(result, 'unknown-rule-in-suppression');
    assert.match(unknown.message, /run-as-nonroot/);
    assert.equal(unknown.range.start.line, 8);
  });

  it('an annotation naming an unknown rule is a warning', () => {
    const result = analyzeText('x.yaml', pod('    ignore.fintech-k8s.io/no-such-rule: "x"'));
    assert.equal(of(result, 'unknown-rule-in-suppression').length, 1);
  });
});

describe('.fintech-k8s.yaml', () => {
  it('turns rules off and changes severities', () => {
    const config = resolveConfig(parseConfigFile('rules:\n  run-as-non-root: off\n  read-only-root-filesystem: error\n', IDS));
    const result = analyzeText('x.yaml', pod(), { config });
    assert.equal(of(result, 'run-as-non-root').length, 0);
    assert.ok(of(result, 'read-only-root-filesystem').every((f) => f.severity === 'error'));
    assert.ok(of(result, 'read-only-root-filesystem').length > 0);
  });

  it('drops findings below the severity threshold', () => {
    const config = resolveConfig(parseConfigFile('severityThreshold: error\n', IDS));
    const result = analyzeText('x.yaml', pod(), { config });
    assert.ok(result.findings.length > 0);
    assert.ok(result.findings.every((f) => f.severity === 'error'));
  });

  it('lists every problem of a bad file instead of ignoring it', () => {
    assert.throws(
      () => parseConfigFile('rules:\n  run-as-nonroot: off\n  low-uid: loud\nseverityThreshold: high\ncolour: blue\n', IDS),
      (error: Error) =>
        error instanceof ConfigError &&
        /unknown rule id "run-as-nonroot"/.test(error.message) &&
        /low-uid/.test(error.message) &&
        /severityThreshold/.test(error.message) &&
        /unknown setting "colour"/.test(error.message),
    );
    assert.throws(() => parseConfigFile('rules: [a\n', IDS), ConfigError);
  });

  it('later inputs win, and empty editor lists keep the file lists', () => {
    const fromFile = parseConfigFile('trustedRegistries: [registry.bank.example]\npciNamespaces: [payments]\n', IDS);
    const resolved = resolveConfig(fromFile, { trustedRegistries: [], pciNamespaces: ['cards'], severityThreshold: 'warning' });
    assert.deepEqual(resolved.trustedRegistries, ['registry.bank.example']);
    assert.deepEqual(resolved.pciNamespaces, ['cards']);
    assert.equal(resolved.severityThreshold, 'warning');
  });
});

describe('workspace index', () => {
  it('finds an object by kind, namespace and name; an unset namespace reads as default', async () => {
    const { ObjectIndex } = await import('../../server/engine/workspace');
    const { objectsOfDocument } = await import('../../server/engine/objects');
    const objects = [
      ...objectsOfDocument({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'payments' } }, 'a.yaml', 0),
      ...objectsOfDocument({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api' } }, 'b.yaml', 0),
    ];
    const index = new ObjectIndex(objects, resolveConfig());
    assert.equal(index.find('ServiceAccount', 'payments', 'api')?.file, 'a.yaml');
    assert.equal(index.find('ServiceAccount', undefined, 'api')?.file, 'b.yaml');
    assert.equal(index.find('ServiceAccount', 'default', 'api')?.file, 'b.yaml');
    assert.equal(index.find('ServiceAccount', 'cards', 'api'), undefined);
    assert.equal(index.find('ConfigMap', 'payments', 'api'), undefined);
  });
});
