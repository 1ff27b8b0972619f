// Documents, objects and bad input: every outcome is findings or one clear problem, never a throw or a hang.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../server/engine/config';
import { analyzeText } from '../../server/engine/engine';
import { ParseCache, splitDocuments } from '../../server/engine/parse';

const POD = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: app\n      image: registry.example.com/app:1.0.0\n`;

describe('documents', () => {
  it('splits at --- and ... lines, keeping offsets and leading comments', () => {
    const text = '# header\n---\na: 1\n---\nb: 2\n...\n---\nc: 3\n';
    const segments = splitDocuments(text);
    assert.deepEqual(
      segments.map((s) => s.text),
      ['# header\n---\na: 1\n', '---\nb: 2\n...\n', '---\nc: 3\n'],
    );
    for (const s of segments) assert.equal(text.slice(s.start, s.start + s.text.length), s.text);
  });

  it('does not split at --- inside a line or indented', () => {
    assert.equal(splitDocuments('a: "x --- y"\nb: |\n  ---\n').length, 1);
  });

  it('finds objects in every document and in List items', () => {
    const list =
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: one}\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: two}\n';
    const result = analyzeText('x.yaml', `${POD('a')}---\n${list}`);
    assert.deepEqual(
      result.objects.map((o) => `${o.kind}/${o.name}`),
      ['Pod/a', 'Pod/one', 'ConfigMap/two'],
    );
  });

  it('reports findings in List items at the item lines', () => {
    const list =
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: one}\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/app:1.0.0\n';
    const finding = analyzeText('x.yaml', list).findings.find((f) => f.ruleId === 'run-as-non-root');
    assert.equal(finding?.range.start.line, 8);
  });

  it('yields nothing for YAML that is not Kubernetes', () => {
    const result = analyzeText('ci.yaml', 'name: build\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n');
    assert.deepEqual(result, { file: 'ci.yaml', findings: [], problems: [], objects: [] });
  });

  it('accepts unknown kinds and custom resources without findings or errors', () => {
    const result = analyzeText(
      'crd.yaml',
      'apiVersion: example.com/v1\nkind: PaymentRoute\nmetadata:\n  name: r\nspec:\n  anything: [1, 2]\n',
    );
    assert.deepEqual(result.problems, []);
    assert.equal(result.objects.length, 1);
  });

  it('reuses cached parses for unchanged documents', () => {
    const cache = new ParseCache();
    const first = cache.get(POD('a'));
    cache.sweep();
    assert.equal(cache.get(POD('a')), first);
  });
});

describe('bad input', () => {
  it('reports malformed YAML at its line and still analyses the other documents', () => {
    const text = `${POD('good')}---\napiVersion: v1\nkind: Pod\nmetadata: {name: [broken\n`;
    const result = analyzeText('x.yaml', text);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].code, 'yaml-syntax');
    // Line 11 (0-based) is `metadata: {name: [broken`, the third line of the second document.
    assert.deepEqual(result.problems[0].range.start, { line: 11, character: 23 });
    assert.ok(result.findings.some((f) => f.object.name === 'good'));
  });

  it('reports duplicate keys', () => {
    const result = analyzeText('x.yaml', 'apiVersion: v1\nkind: Pod\nkind: Service\n');
    assert.equal(result.problems[0]?.code, 'yaml-syntax');
    assert.equal(result.problems[0].range.start.line, 2);
  });

  it('stops alias bombs (billion laughs) with a clear problem', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const started = process.hrtime.bigint();
    const result = analyzeText('bomb.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  ${levels.join('\n  ')}\n`);
    assert.equal(result.problems[0]?.code, 'too-complex');
    assert.match(result.problems[0].message, /alias/);
    assert.ok(process.hrtime.bigint() - started < 5_000_000_000n, 'guard must answer quickly');
  });

  it('allows ordinary anchors and merge keys', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: &labels {app: x}\n  annotations: *labels\nspec:\n  containers:\n    - &c {name: a, image: "registry.example.com/a:1"}\n';
    const result = analyzeText('x.yaml', text);
    assert.deepEqual(result.problems, []);
    assert.equal(result.objects[0].name, 'p');
  });

  it('refuses deeply nested documents', () => {
    const result = analyzeText('deep.yaml', `a: ${'['.repeat(100_000)}`);
    assert.equal(result.problems[0]?.code, 'too-complex');
    const indented = analyzeText('deep2.yaml', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'));
    assert.equal(indented.problems[0]?.code, 'too-complex');
  });

  it('refuses files over the size limit, naming the limit', () => {
    const big = POD('x')
      .repeat(1)
      .padEnd(10 * 1024 * 1024, '#');
    const result = analyzeText('big.yaml', big);
    assert.equal(result.problems[0]?.code, 'file-too-large');
    assert.match(result.problems[0].message, /10\.0 MB.*4\.0 MB/);
    const raised = analyzeText('big.yaml', big, { config: resolveConfig({ maxFileBytes: 20 * 1024 * 1024 }) });
    assert.equal(raised.problems.length, 0);
  });

  it('refuses binary files named .yaml', () => {
    const result = analyzeText('image.yaml', '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR');
    assert.equal(result.problems[0]?.code, 'binary-file');
  });

  it('reads {{ outside a chart as YAML: a template that does not parse is a YAML error, not skipped', () => {
    const result = analyzeText(
      'deployment.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\n',
    );
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].code, 'yaml-syntax');
    assert.equal(result.problems[0].severity, 'error');
    assert.deepEqual(result.findings, []);
  });

  it('survives random garbage', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = 'ab: -[]{}&*!|>\'"#%@`,?\n  \t0123';
    for (let round = 0; round < 300; round++) {
      const text = Array.from({ length: 200 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      assert.doesNotThrow(() => analyzeText('fuzz.yaml', `apiVersion: v1\nkind: Pod\n${text}`), text);
    }
  });
});
