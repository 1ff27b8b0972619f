// What Deploy Chart / Deploy Overlay receive from the language server: the rendered objects without kustomize's
// build metadata, one object per document (so document i is the i-th planned object), findings carried to the
// source files by the render's own mapping, and dry-run fields put back on their source lines the same way.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DEFAULT_CONFIG } from '../../server/engine/config';
import type { FileResult } from '../../server/engine/types';
import { deployableDocuments, joinDocuments, markerFinding } from '../../server/render/deployable-manifests';
import type { RenderedRoot } from '../../server/render/types';
import { RenderRootHandler } from '../../server/src/handlers/render-root';
import type { SettingsProvider } from '../../server/src/settings';
import { planDeploy } from '../../src/kube/deploy/plan';

const BUILT = `apiVersion: v1
kind: ConfigMap
metadata:
  name: prod-settings
  annotations:
    config.kubernetes.io/origin: |
      path: ../base/configmap.yaml
data:
  mode: "on"
---
# a comment-only document
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: prod-api
  annotations:
    team: payments
    alpha.config.kubernetes.io/transformations: |
      - transformerType: PatchStrategicMergeTransformer
spec:
  replicas: 2
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.0
`;

describe('deployable manifests', () => {
  const documents = deployableDocuments([{ file: '/rendered/prod.yaml', text: BUILT }]);

  it('keeps objects only, and says where each sits in the rendered file', () => {
    assert.deepEqual(
      documents.map((d) => [d.file, d.docIndex]),
      [
        ['/rendered/prod.yaml', 0],
        ['/rendered/prod.yaml', 2],
      ],
    );
  });

  it('drops the build metadata, keeps every other annotation and the meaning of every value', () => {
    const manifests = joinDocuments(documents);
    assert.doesNotMatch(manifests, /config\.kubernetes\.io/);
    const plan = planDeploy(manifests, 'rendered.yaml', { namespace: 'payments' });
    assert.deepEqual(plan.errors, []);
    const byKind = Object.fromEntries(plan.objects.map((o) => [o.kind, o]));
    assert.equal(byKind.ConfigMap.object.metadata.annotations, undefined, 'an emptied annotations map goes too');
    assert.deepEqual(byKind.Deployment.object.metadata.annotations, { team: 'payments' });
    assert.deepEqual(byKind.ConfigMap.object.data, { mode: 'on' }, 'a quoted "on" stays a string');
    // Document i of the manifest text is documents[i], whatever order the plan applies them in.
    assert.equal(byKind.ConfigMap.docIndex, 0);
    assert.equal(byKind.Deployment.docIndex, 1);
  });

  it('leaves documents without build metadata byte for byte', () => {
    const helm = '# Source: ledger/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x   # keep\ndata: { a: "1" }\n';
    assert.equal(joinDocuments(deployableDocuments([{ file: 'r', text: helm }])), helm);
  });

  it('puts a marker on a rendered field (or its nearest written parent)', () => {
    const marker = markerFinding([{ file: '/rendered/prod.yaml', text: BUILT }], documents[1], ['spec', 'replicas']);
    assert.ok(marker);
    assert.equal(BUILT.slice(marker.span.start, marker.span.end), 'replicas: 2');
    assert.equal(marker.docIndex, 2);
    assert.deepEqual(marker.object, { kind: 'Deployment', apiVersion: 'apps/v1', name: 'prod-api' });
    const missing = markerFinding([{ file: '/rendered/prod.yaml', text: BUILT }], documents[1], [
      'spec',
      'template',
      'spec',
      'containers',
      0,
      'resources',
    ]);
    assert.equal(BUILT.slice(missing!.span.start, missing!.span.end), 'name: api');
  });
});

/** A render whose mapping moves everything to one source file, three lines down (as a renderer's would, differently). */
function fakeRender(dir: string): RenderedRoot {
  const source = `${dir}/overlays/prod/patch.yaml`;
  const move = (results: readonly FileResult[]): FileResult[] =>
    results.map((r) => ({
      ...r,
      file: source,
      findings: r.findings.map((f) => ({
        ...f,
        file: source,
        range: { start: { line: f.range.start.line + 3, character: 0 }, end: { line: f.range.start.line + 3, character: 4 } },
      })),
      problems: r.problems.map((p) => ({ ...p, file: source })),
    }));
  return {
    root: { kind: 'kustomize', dir, inputs: [source] },
    files: [{ file: `${dir}/.rendered/prod.yaml`, text: BUILT }],
    toSources: move,
    problems: [],
  };
}

describe('fintechK8s/renderRoot and fintechK8s/locateRendered', () => {
  const settings = { forDocument: async () => ({ enable: true, config: DEFAULT_CONFIG }) } as unknown as SettingsProvider;
  const dir = '/work-tree/deploy';
  const handler = new RenderRootHandler(settings, async () => ({ rendered: fakeRender(dir) }));
  const patchUri = pathToFileURL(`${dir}/overlays/prod/patch.yaml`).href;

  it('returns the deployable text and findings on the source files the render maps them to', async () => {
    const result = await handler.render({ uri: pathToFileURL(dir).href, kind: 'kustomize' });
    assert.equal(result.dir, dir);
    assert.doesNotMatch(result.manifests, /config\.kubernetes\.io/);
    assert.ok(result.findings.length > 0, 'the Deployment has findings (no securityContext, no limits)');
    assert.ok(result.findings.every((f) => f.uri === patchUri));
    assert.ok(result.findings.some((f) => f.object === 'Deployment/default/prod-api'));
    assert.deepEqual(result.problems, []);
  });

  it('puts a dry-run field back on its source line through the same mapping, by render id', async () => {
    const result = await handler.render({ uri: pathToFileURL(dir).href, kind: 'kustomize' });
    const replicasLine = BUILT.split('\n').indexOf('  replicas: 2');
    const { locations } = handler.locate({
      renderId: result.renderId,
      locations: [
        { docIndex: 1, path: ['spec', 'replicas'] },
        { docIndex: 7, path: [] },
      ],
    });
    assert.deepEqual(locations[0], {
      uri: patchUri,
      range: { start: { line: replicasLine + 3, character: 0 }, end: { line: replicasLine + 3, character: 4 } },
    });
    assert.equal(locations[1], null, 'a document that does not exist');
    assert.deepEqual(handler.locate({ renderId: 'forgotten', locations: [{ docIndex: 0, path: [] }] }).locations, [null]);
  });
});
