// The workspace part shared between analyses: indexed once, merged under each analysis's own objects,
// and rebuilt only when a file other than the analysed one changes.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../server/engine/config';
import { analyzeText } from '../../server/engine/engine';
import { objectsOfDocument } from '../../server/engine/objects';
import type { K8sObject } from '../../server/engine/types';
import { ContextIndex, ObjectIndex } from '../../server/engine/workspace';
import { ContextFiles } from '../../server/src/context-files';
import { WorkspaceIndex } from '../../server/src/workspace-index';

const object = (kind: string, name: string, namespace: string, file: string, extra: Record<string, unknown> = {}): K8sObject =>
  objectsOfDocument({ apiVersion: 'v1', kind, metadata: { name, namespace }, ...extra }, file, 0)[0];

describe('shared context under an analysis', () => {
  const shared = new ContextIndex([
    object('Service', 'api', 'payments', 'svc.yaml'),
    object('Namespace', 'payments', '', 'ns.yaml', { metadata: { name: 'payments', labels: { 'pci-dss.fintech-k8s.io/scope': 'cde' } } }),
  ]);
  const own = [object('Service', 'ledger', 'payments', 'own.yaml'), object('ConfigMap', 'cfg', 'payments', 'own.yaml')];
  const index = new ObjectIndex(own, resolveConfig(), shared);

  it('answers from both layers, its own objects first', () => {
    assert.deepEqual(
      index.ofKind('Service').map((o) => o.name),
      ['ledger', 'api'],
    );
    assert.deepEqual(
      index.all().map((o) => o.name),
      ['ledger', 'cfg', 'api', 'payments'],
    );
    assert.equal(index.find('Service', 'payments', 'api')?.file, 'svc.yaml');
    assert.equal(index.find('ConfigMap', 'payments', 'cfg')?.file, 'own.yaml');
    assert.ok(index.isPciNamespace('payments'), 'labelled in the shared layer');
  });

  it('groups the shared layer once for every analysis, the own objects each time', () => {
    let calls = 0;
    const entryOf = (o: K8sObject): [string, string] | undefined => {
      calls++;
      return o.kind === 'Service' ? [o.namespace ?? 'default', o.name] : undefined;
    };
    assert.deepEqual(index.groupedBy('services', entryOf)('payments'), ['ledger', 'api']);
    assert.equal(calls, 4);
    const next = new ObjectIndex([object('Service', 'cards', 'payments', 'own.yaml')], resolveConfig(), shared);
    assert.deepEqual(next.groupedBy('services', entryOf)('payments'), ['cards', 'api']);
    assert.equal(calls, 5, 'only the new own object was looked at');
  });
});

describe('the language server keeps a document’s context while only that document changes', () => {
  const service =
    'apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: payments}\nspec: {selector: {app: api}, ports: [{port: 80}]}\n';
  const pod = (image: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: payments, labels: {app: api}}\nspec:\n  containers: [{name: api, image: ${image}}]\n`;

  it('reuses the index while typing, rebuilds it when another file changes', () => {
    const index = new WorkspaceIndex();
    index.update('file:///ws/svc.yaml', service);
    index.update('file:///ws/pod.yaml', pod('registry.example.com/api:1.0.0'));
    const first = index.contextIndexFor('file:///ws/pod.yaml');
    index.update('file:///ws/pod.yaml', pod('registry.example.com/api:1.0.1'));
    assert.equal(index.contextIndexFor('file:///ws/pod.yaml'), first, 'the document itself changed: same context');
    index.update('file:///ws/svc.yaml', service.replace('port: 80', 'port: 8080'));
    const second = index.contextIndexFor('file:///ws/pod.yaml');
    assert.notEqual(second, first, 'another file changed');
    assert.match(JSON.stringify(second.ofKind('Service')[0].value), /8080/, 'the changed Service');
    index.remove('file:///ws/svc.yaml');
    assert.deepEqual(index.contextIndexFor('file:///ws/pod.yaml').ofKind('Service'), []);
  });

  it('analyses against the kept context find what they found against a fresh one, and the context counts', () => {
    const index = new WorkspaceIndex();
    index.update('file:///ws/svc.yaml', service);
    // A default-deny policy in another file isolates the pod: only an analysis that sees it knows.
    index.update(
      'file:///ws/np.yaml',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny, namespace: payments}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n',
    );
    const text = pod('registry.example.com/api:1.0.0');
    const kept = analyzeText('file:///ws/pod.yaml', text, { context: index.contextIndexFor('file:///ws/pod.yaml') });
    const fresh = analyzeText('file:///ws/pod.yaml', text, { contextObjects: index.contextFor('file:///ws/pod.yaml') });
    const alone = analyzeText('file:///ws/pod.yaml', text);
    const rules = (result: typeof kept) => result.findings.map((f) => [f.ruleId, f.range.start.line]);
    assert.deepEqual(rules(kept), rules(fresh));
    assert.ok(
      rules(alone).some(([rule]) => rule === 'pod-not-isolated'),
      'without the workspace the pod is not isolated',
    );
    assert.ok(!rules(kept).some(([rule]) => rule === 'pod-not-isolated'), 'the kept context holds the policy');
  });
});

describe('files that findings link to', () => {
  it('are read from disk once, and again only after the index sees them change; open documents win', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fintech-k8s-ctx-')), 'svc.yaml');
    const uri = pathToFileURL(path).href;
    const first = 'apiVersion: v1\nkind: Service\nmetadata: {name: api}\n';
    writeFileSync(path, first);
    const index = new WorkspaceIndex();
    index.update(uri, first);
    const open = new Map<string, string>();
    const documents = { get: (u: string) => (open.has(u) ? { getText: () => open.get(u)! } : undefined) };
    const files = new ContextFiles(documents as never, index);
    assert.equal(files.read(uri), first);

    const second = first.replace('api', 'ledger');
    writeFileSync(path, second);
    assert.equal(files.read(uri), first, 'kept: the index has not seen a change');
    index.update(uri, second);
    assert.equal(files.read(uri), second, 'read again after the index changed');
    open.set(uri, 'typed');
    assert.equal(files.read(uri), 'typed');
    assert.equal(files.read('untitled:Untitled-1'), undefined);
  });
});
