// Exact ranges for present and missing keys, and fixes as minimal edits that keep comments and layout.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { applyEdits, fixEdits } from '../../server/engine/fixes';
import { locate } from '../../server/engine/locate';
import { analyzeText } from '../../server/engine/engine';
import { partSpan } from '../../server/engine/value-part';
import type { FixOp } from '../../server/engine/types';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: payments-api # owned by team payments
spec:
  template:
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.0.0
          securityContext:
            privileged: true
`;

function at(text: string, path: (string | number)[]) {
  const located = locate(parseDocument(text), path);
  return { text: text.slice(located.start, located.end), exact: located.exact };
}

function fix(text: string, ...ops: FixOp[]): string {
  return applyEdits(text, fixEdits(text, { docIndex: 0, fix: { title: 't', ops } }));
}

const CONTAINER = ['spec', 'template', 'spec', 'containers', 0];

describe('locate', () => {
  it('points at the whole `key: value` pair for scalars', () => {
    assert.deepEqual(at(DEPLOYMENT, [...CONTAINER, 'securityContext', 'privileged']), { text: 'privileged: true', exact: true });
  });

  it('points at the key alone for collections', () => {
    assert.deepEqual(at(DEPLOYMENT, [...CONTAINER, 'securityContext']), { text: 'securityContext', exact: true });
  });

  it("falls back to the container's name when its key is missing", () => {
    assert.deepEqual(at(DEPLOYMENT, [...CONTAINER, 'resources', 'limits']), { text: 'name: api', exact: false });
  });

  it('falls back to the nearest existing key otherwise', () => {
    assert.deepEqual(at(DEPLOYMENT, ['spec', 'template', 'spec', 'securityContext', 'runAsNonRoot']), { text: 'spec', exact: false });
    assert.deepEqual(at(DEPLOYMENT, [...CONTAINER, 'securityContext', 'runAsNonRoot']), { text: 'securityContext', exact: false });
  });

  it('points at kind when a top-level key is missing', () => {
    assert.deepEqual(at('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n', ['spec', 'containers']), { text: 'kind: Pod', exact: false });
  });

  it('works in flow style', () => {
    assert.deepEqual(at('a: {b: [{name: x, c: 1}]}', ['a', 'b', 0, 'c']), { text: 'c: 1', exact: true });
  });
});

describe('fixes', () => {
  it('replaces a scalar value in place', () => {
    const fixed = fix(DEPLOYMENT, { op: 'set', path: [...CONTAINER, 'securityContext', 'privileged'], value: false });
    assert.equal(fixed, DEPLOYMENT.replace('privileged: true', 'privileged: false'));
  });

  it('adds a key under an existing block map, at its indentation', () => {
    const fixed = fix(DEPLOYMENT, { op: 'set', path: [...CONTAINER, 'securityContext', 'runAsNonRoot'], value: true });
    assert.equal(fixed, DEPLOYMENT.replace('privileged: true\n', 'privileged: true\n            runAsNonRoot: true\n'));
  });

  it('creates missing parent maps', () => {
    const fixed = fix(DEPLOYMENT, { op: 'set', path: [...CONTAINER, 'resources', 'requests', 'cpu'], value: '100m' });
    assert.equal(fixed, DEPLOYMENT + '          resources:\n            requests:\n              cpu: 100m\n');
  });

  it('keeps comments and the formatting of untouched lines, and only edits the lines it must', () => {
    const text = DEPLOYMENT.replace('image:', '# pinned by release\n          image:');
    const edits = fixEdits(text, {
      docIndex: 0,
      fix: { title: 't', ops: [{ op: 'set', path: ['metadata', 'namespace'], value: 'payments' }] },
    });
    assert.equal(edits.length, 1);
    assert.equal(edits[0].span.start, edits[0].span.end, 'a pure insertion');
    assert.equal(edits[0].newText, '  namespace: payments\n');
    const fixed = applyEdits(text, edits);
    assert.ok(fixed.includes('name: payments-api # owned by team payments\n  namespace: payments\n'));
    assert.ok(fixed.includes('# pinned by release'));
  });

  it('fills an empty key', () => {
    const text = 'spec:\n  securityContext:\n  containers: []\n';
    assert.equal(
      fix(text, { op: 'set', path: ['spec', 'securityContext', 'runAsNonRoot'], value: true }),
      'spec:\n  securityContext:\n    runAsNonRoot: true\n  containers: []\n',
    );
  });

  it('edits flow maps inside flow', () => {
    const text = 'spec: {containers: [{name: a, securityContext: {}}]}\n';
    assert.equal(
      fix(text, { op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'seccompProfile', 'type'], value: 'RuntimeDefault' }),
      'spec: {containers: [{name: a, securityContext: {seccompProfile: { type: RuntimeDefault }}}]}\n',
    );
  });

  it('appends to block and flow lists, creating them when missing', () => {
    assert.equal(fix('drop:\n  - NET_RAW\n', { op: 'append', path: ['drop'], value: 'ALL' }), 'drop:\n  - NET_RAW\n  - ALL\n');
    assert.equal(fix('drop: [NET_RAW]\n', { op: 'append', path: ['drop'], value: 'ALL' }), 'drop: [NET_RAW, ALL]\n');
    assert.equal(
      fix('capabilities:\n  add: [X]\n', { op: 'append', path: ['capabilities', 'drop'], value: 'ALL' }),
      'capabilities:\n  add: [X]\n  drop:\n    - ALL\n',
    );
  });

  it('deletes pairs and list items without breaking the list item they sit in', () => {
    assert.equal(
      fix('ports:\n  - containerPort: 80\n    hostPort: 80\n', { op: 'delete', path: ['ports', 0, 'hostPort'] }),
      'ports:\n  - containerPort: 80\n',
    );
    assert.equal(
      fix('ports:\n  - hostPort: 80\n    containerPort: 80\n', { op: 'delete', path: ['ports', 0, 'hostPort'] }),
      'ports:\n  - containerPort: 80\n',
    );
    assert.equal(fix('add:\n  - SYS_ADMIN\n  - NET_BIND_SERVICE\n', { op: 'delete', path: ['add', 0] }), 'add:\n  - NET_BIND_SERVICE\n');
    assert.equal(fix('add: [SYS_ADMIN, NET_BIND_SERVICE]\n', { op: 'delete', path: ['add', 0] }), 'add: [NET_BIND_SERVICE]\n');
  });

  it('keeps CRLF line endings', () => {
    const text = 'a:\r\n  b: 1\r\n';
    assert.equal(fix(text, { op: 'set', path: ['a', 'c'], value: 2 }), 'a:\r\n  b: 1\r\n  c: 2\r\n');
  });

  it('edits the right document of a multi-document file', () => {
    const text = 'a: 1\n---\nb:\n  c: 1\n';
    const edits = fixEdits(text, { docIndex: 1, fix: { title: 't', ops: [{ op: 'set', path: ['b', 'd'], value: true }] } });
    assert.equal(applyEdits(text, edits), 'a: 1\n---\nb:\n  c: 1\n  d: true\n');
  });
});

describe('numeric keys', () => {
  it('are found by their string path, as js-yaml gives them', () => {
    const text = 'portLevelMtls:\n  8583:\n    mode: PERMISSIVE\n';
    assert.deepEqual(at(text, ['portLevelMtls', '8583', 'mode']), { text: 'mode: PERMISSIVE', exact: true });
    assert.equal(fix(text, { op: 'set', path: ['portLevelMtls', '8583', 'mode'], value: 'STRICT' }), text.replace('PERMISSIVE', 'STRICT'));
    assert.equal(fix(text, { op: 'delete', path: ['portLevelMtls', '8583'] }), 'portLevelMtls:\n');
  });
});

describe('a part of a string value', () => {
  const at = (text: string, finding: { span: { start: number; end: number } }) => text.slice(finding.span.start, finding.span.end);

  it('is located on its own line inside literal, folded and double-quoted scripts', () => {
    for (const style of ['|', '>-', 'quoted'] as const) {
      const script =
        style === 'quoted'
          ? '            - "geth --datadir /data \\\n              --rpcaddr 0.0.0.0 --rpcapi admin,eth \\\n              --allow-insecure-unlock"'
          : `            - ${style}\n              geth --datadir /data \\\n              --rpcaddr 0.0.0.0 --rpcapi admin,eth \\\n              --allow-insecure-unlock`;
      const text = [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: node',
        '  namespace: chain',
        'spec:',
        '  containers:',
        '    - name: geth',
        '      image: ethereum/client-go:v1.9.25',
        '      command: [sh, -c]',
        '      args:',
        script,
        '',
      ].join('\n');
      const findings = analyzeText('pod.yaml', text).findings.filter((f) => f.ruleId === 'rpc-unsafe-flags');
      // The quoted script starts on the `- "` line; block scalars on the line after their header.
      const first = style === 'quoted' ? 12 : 13;
      assert.deepEqual(
        findings.map((f) => [f.range.start.line, at(text, f)]),
        [
          [first, '--rpcapi'],
          [first + 1, '--allow-insecure-unlock'],
        ],
        style,
      );
    }
  });

  it('falls back to the whole value when escapes changed the text', () => {
    assert.equal(partSpan('x: "a\\u002d-b"', { start: 0, end: 14 }, 'a--b', { start: 1, end: 3 }), undefined);
    assert.deepEqual(partSpan('x: |\n  a --b\n  --b', { start: 0, end: 18 }, 'a --b\n--b\n', { start: 6, end: 9 }), { start: 15, end: 18 });
  });
});
