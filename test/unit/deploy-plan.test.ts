// Pure parts of the deploy pipeline: plan order and scope, source positions of API field paths, failure
// classification, Secret masking in diffs, no-op detection, rollout completeness and the production check.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KubeApiError, parseWarnings } from '../../src/kube/deploy/api';
import { appliedChange } from '../../src/kube/deploy/apply';
import { normalizeForDisplay, renderDiff } from '../../src/kube/deploy/diff';
import { parseFieldPath } from '../../src/kube/deploy/field-path';
import { objectFailure, schemaErrors } from '../../src/kube/deploy/object-failure';
import { locateField, planDeploy, type KubeManifest, type PlannedObject } from '../../src/kube/deploy/plan';
import { checkProductionContext } from '../../src/kube/deploy/production';
import { rolloutProgress } from '../../src/kube/deploy/rollout-status';

const doc = (kind: string, name: string, apiVersion = 'v1', extra = '') =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n${extra}`;

function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, needle);
  return index;
}

describe('planDeploy: order', () => {
  it('orders by dependency and keeps file order within a group', () => {
    const text = [
      doc('Ingress', 'web', 'networking.k8s.io/v1'),
      doc('Deployment', 'web', 'apps/v1'),
      doc('Service', 'web'),
      doc('Secret', 'b'),
      doc('ConfigMap', 'a'),
      doc('PersistentVolumeClaim', 'data'),
      doc('RoleBinding', 'rb', 'rbac.authorization.k8s.io/v1'),
      doc('ServiceAccount', 'sa'),
      doc('CronJob', 'nightly', 'batch/v1'),
      doc('CustomResourceDefinition', 'widgets.example.com', 'apiextensions.k8s.io/v1'),
      doc('Namespace', 'payments'),
      doc('HorizontalPodAutoscaler', 'web', 'autoscaling/v2'),
      doc('Job', 'migrate', 'batch/v1'),
    ].join('---\n');
    const { objects, errors } = planDeploy(text, 'all.yaml');
    assert.deepEqual(errors, []);
    assert.deepEqual(
      objects.map((o) => `${o.kind}/${o.name}`),
      [
        'Namespace/payments',
        'CustomResourceDefinition/widgets.example.com',
        'RoleBinding/rb',
        'ServiceAccount/sa',
        'Secret/b',
        'ConfigMap/a',
        'PersistentVolumeClaim/data',
        'Service/web',
        'Deployment/web',
        'CronJob/nightly',
        'Job/migrate',
        'Ingress/web',
        'HorizontalPodAutoscaler/web',
      ],
    );
    assert.deepEqual(
      objects.map((o) => o.docIndex),
      [10, 9, 6, 7, 3, 4, 5, 2, 1, 8, 12, 0, 11],
    );
  });
});

describe('planDeploy: namespaces and scope', () => {
  it('fills in the context namespace for namespaced kinds only, and keeps an explicit one', () => {
    const text = [
      doc('ConfigMap', 'a'),
      doc('ConfigMap', 'b', 'v1', '  namespace: other\n'),
      doc('ClusterRole', 'reader', 'rbac.authorization.k8s.io/v1'),
      doc('Namespace', 'ns'),
    ].join('---\n');
    const { objects } = planDeploy(text, 'f.yaml', { namespace: 'payments' });
    const byName = Object.fromEntries(objects.map((o) => [o.name, o]));
    assert.equal(byName.a.namespace, 'payments');
    assert.equal(byName.a.object.metadata.namespace, 'payments');
    assert.equal(byName.b.namespace, 'other');
    assert.equal(byName.reader.namespace, undefined);
    assert.equal(byName.reader.object.metadata.namespace, undefined);
    assert.equal(byName.ns.namespace, undefined);
    assert.equal(planDeploy(doc('ConfigMap', 'a'), 'f.yaml').objects[0].namespace, 'default');
  });

  it('reads the scope of custom kinds from a CRD in the same text, and lets discovery override', () => {
    const crd = doc(
      'CustomResourceDefinition',
      'clusterwidgets.example.com',
      'apiextensions.k8s.io/v1',
      'spec:\n  group: example.com\n  scope: Cluster\n  names: { kind: ClusterWidget, plural: clusterwidgets }\n',
    );
    const text = [crd, doc('ClusterWidget', 'w', 'example.com/v1'), doc('Widget', 'x', 'example.com/v1')].join('---\n');
    const { objects } = planDeploy(text, 'f.yaml', { namespace: 'ns' });
    assert.equal(objects.find((o) => o.kind === 'ClusterWidget')?.namespace, undefined);
    assert.equal(objects.find((o) => o.kind === 'Widget')?.namespace, 'ns', 'unknown kinds are namespaced');
    const discovered = planDeploy(text, 'f.yaml', { namespace: 'ns', isNamespaced: (_v, kind) => (kind === 'Widget' ? false : undefined) });
    assert.equal(discovered.objects.find((o) => o.kind === 'Widget')?.namespace, undefined);
  });
});

describe('planDeploy: errors and YAML semantics', () => {
  it('reports syntax errors, nameless objects, lists, scalars and duplicates on their documents', () => {
    const text = [
      doc('ConfigMap', 'ok'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: { a: b }\n',
      'apiVersion: v1\nkind: List\nitems: []\n',
      'just a string\n',
      doc('ConfigMap', 'ok'),
      '# only a comment\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: [\n',
    ].join('---\n');
    const { objects, errors } = planDeploy(text, 'bad.yaml');
    assert.deepEqual(
      objects.map((o) => o.name),
      ['ok'],
    );
    assert.deepEqual(
      errors.map((e) => e.docIndex),
      [1, 2, 3, 4, 6],
    );
    assert.match(errors[0].message, /no metadata.name/);
    assert.equal(errors[0].range.start.line, lineOf(text, 'labels: { a: b }') - 3);
    assert.match(errors[1].message, /List/);
    assert.match(errors[2].message, /not a Kubernetes object/);
    assert.match(errors[3].message, /defined twice/);
    assert.match(errors[4].message, /YAML syntax error/);
    assert.equal(errors[4].range.start.line, text.split('\n').length - 2, 'an error at the end of input is on the last written line');
    assert.ok(errors.every((e) => e.file === 'bad.yaml'));
  });

  it('reads YAML as kubectl does: 1.1 octal and booleans, but times and dates stay strings', () => {
    const text = doc('ConfigMap', 'c', 'v1', 'spec:\n  mode: 0644\n  enabled: yes\n  at: 12:30\n  day: 2024-01-01\n');
    const spec = planDeploy(text, 'f.yaml').objects[0].object.spec;
    assert.deepEqual(spec, { mode: 0o644, enabled: true, at: '12:30', day: '2024-01-01' });
    const [error] = planDeploy(doc('Namespace', 'no'), 'f.yaml').errors;
    assert.match(error.message, /metadata.name reads as the boolean false, not a string: quote it/);
  });
});

describe('locateField: API field paths to lines', () => {
  const text = `# leading comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  template:
    spec:
      containers:
        - name: sidecar
          image: envoy
        - name: app
          ports:
            - containerPort: 70000
          env:
            - name: MODE
              value: live
`;
  const planned = planDeploy(text, 'f.yaml').objects[0];

  it('finds keys by field.Path (indexes, map keys with dots) and by structured-merge-diff selectors', () => {
    const cases: [string, string, boolean][] = [
      ['spec.template.spec.containers[1].ports[0].containerPort', 'containerPort: 70000', true],
      ['.spec.template.spec.containers[name="app"].ports[containerPort=70000,protocol="TCP"].containerPort', 'containerPort: 70000', true],
      ['metadata.labels[app.kubernetes.io/name]', 'app.kubernetes.io/name', true],
      ['.spec.template.spec.containers[name="app"].env[name="MODE"].value', 'value: live', true],
      ['metadata.name', 'name: web', true],
    ];
    for (const [field, needle, exact] of cases) {
      const location = locateField(planned, field);
      assert.equal(location.range.start.line, lineOf(text, needle), field);
      assert.equal(location.exact, exact, field);
    }
    const value = locateField(planned, 'spec.template.spec.containers[1].ports[0].containerPort').range;
    assert.equal(text.slice(value.start.offset, value.end.offset), 'containerPort: 70000', 'key through its scalar value');
  });

  it('puts a missing field on its nearest written parent, and an unknown path on the first line', () => {
    const image = locateField(planned, 'spec.template.spec.containers[1].image');
    assert.equal(image.exact, false);
    assert.equal(image.range.start.line, lineOf(text, '- name: app'));
    assert.equal(text.slice(image.range.start.offset, image.range.end.offset), 'name: app', 'only the first line of a list item');
    assert.equal(locateField(planned, 'spec.selector').range.start.line, lineOf(text, 'spec:'));
    const nowhere = locateField(planned, 'status.phase');
    assert.equal(nowhere.exact, false);
    assert.equal(nowhere.range.start.line, 1, 'the document start, after its comments');
  });

  it('shifts positions by the origin of a selection', () => {
    const selection = planDeploy(text, 'f.yaml', { origin: { offset: 100, line: 10, character: 4 } }).objects[0];
    const range = locateField(selection, 'metadata.name').range;
    assert.deepEqual(range.start, { offset: lineOffset(text, 'name: web') + 2 + 100, line: lineOf(text, 'name: web') + 10, character: 2 });
    assert.deepEqual(locateField(selection, 'apiVersion').range.start, {
      offset: text.indexOf('apiVersion') + 100,
      line: 11,
      character: 0,
    });
    const firstLine = planDeploy('kind: ConfigMap\napiVersion: v1\nmetadata: { name: a }\n', 'f', {
      origin: { offset: 7, line: 3, character: 7 },
    }).objects[0];
    assert.deepEqual(firstLine.headRange.start, { offset: 7, line: 3, character: 7 });
  });

  it('parses both path syntaxes', () => {
    assert.deepEqual(parseFieldPath('.metadata.finalizers[="a.b/c"]'), [
      { type: 'key', key: 'metadata' },
      { type: 'key', key: 'finalizers' },
      { type: 'value', value: 'a.b/c' },
    ]);
    assert.deepEqual(parseFieldPath('spec.ports[port=80,protocol="TCP"]'), [
      { type: 'key', key: 'spec' },
      { type: 'key', key: 'ports' },
      { type: 'select', fields: { port: '80', protocol: 'TCP' } },
    ]);
    assert.deepEqual(parseFieldPath('data[my key]'), [
      { type: 'key', key: 'data' },
      { type: 'key', key: 'my key' },
    ]);
  });
});

function lineOffset(text: string, needle: string): number {
  return text.lastIndexOf('\n', text.indexOf(needle)) + 1;
}

describe('objectFailure: classification and lines', () => {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: fresh
spec:
  containers:
    - name: app
      image: nginx
      imagee: typo
`;
  const plan = planDeploy(`${doc('Namespace', 'fresh')}---\n${text}`, 'f.yaml').objects;
  const pod = plan.find((o) => o.kind === 'Pod')!;
  const line = (needle: string) => lineOf(`${doc('Namespace', 'fresh')}---\n${text}`, needle);
  const failure = (status: number, message: string, extra: object = {}) =>
    objectFailure(pod, new KubeApiError(status, { message, ...extra }), plan);

  it('tells RBAC refusals from admission denials', () => {
    assert.equal(
      failure(403, 'pods "p" is forbidden: User "dev" cannot patch resource "pods" in API group "" in the namespace "x"').category,
      'forbidden',
    );
    assert.equal(failure(403, 'pods "p" is forbidden: violates PodSecurity "restricted:latest": privileged').category, 'admission-denied');
    assert.equal(failure(400, 'admission webhook "policy.example.com" denied the request: no latest tags').category, 'admission-denied');
    assert.equal(failure(409, 'Apply failed with 1 conflict').category, 'conflict');
  });

  it('calls an immutable-field 422 immutable and places its cause', () => {
    const result = failure(422, 'Pod "p" is invalid: spec: Forbidden: pod updates may not change fields', {
      details: {
        causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: "x": field is immutable', field: 'spec.containers[0].image' }],
      },
    });
    assert.equal(result.category, 'immutable');
    assert.equal(result.range.start.line, line('image: nginx'));
  });

  it('reads structured-merge-diff schema errors out of the message of a 500', () => {
    const message =
      'failed to create typed patch object (/p; /v1, Kind=Pod): .spec.containers[name="app"].imagee: field not declared in schema';
    assert.deepEqual(schemaErrors(message), [{ field: '.spec.containers[name="app"].imagee', message: 'field not declared in schema' }]);
    const result = failure(500, message);
    assert.equal(result.category, 'invalid');
    assert.equal(result.causes[0].range.start.line, line('imagee: typo'));
    assert.deepEqual(schemaErrors('errors:\n  .spec.a: x\n  .spec.b[name="c d"].e: y'), [
      { field: '.spec.a', message: 'x' },
      { field: '.spec.b[name="c d"].e', message: 'y' },
    ]);
  });

  it('names the planned object a dry run is waiting for', () => {
    const missing = failure(404, 'namespaces "fresh" not found', { reason: 'NotFound', details: { name: 'fresh', kind: 'namespaces' } });
    assert.equal(missing.category, 'not-found');
    assert.equal(missing.pendingDependency, 'Namespace fresh');
    assert.equal(
      failure(404, 'namespaces "elsewhere" not found', { details: { name: 'elsewhere', kind: 'namespaces' } }).pendingDependency,
      undefined,
    );
  });

  it('reports a network error without an HTTP status', () => {
    const result = objectFailure(pod, new Error('connect ECONNREFUSED 127.0.0.1:6443'));
    assert.equal(result.status, 0);
    assert.equal(result.category, 'unreachable');
    assert.equal(result.range, pod.headRange);
  });

  it('parses Warning headers', () => {
    assert.deepEqual(parseWarnings(['299 - "would violate PodSecurity \\"restricted:latest\\": x"', '299 - "a", 299 - "b"']), [
      'would violate PodSecurity "restricted:latest": x',
      'a',
      'b',
    ]);
  });
});

describe('diff rendering', () => {
  const secret = (data: Record<string, string>, extra: object = {}) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'n', resourceVersion: '7', uid: 'u', managedFields: [{ manager: 'x' }], creationTimestamp: 't' },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    ...extra,
  });

  it('masks Secret values on both sides, showing only byte lengths and which values change', () => {
    const { left, right, changed } = renderDiff(
      secret({ password: 'old-pass', user: 'svc' }),
      secret({ password: 'new-password', user: 'svc', token: 'abc' }),
    );
    assert.equal(changed, true);
    for (const side of [left, right]) {
      for (const value of ['old-pass', 'new-password', 'svc', 'abc']) {
        assert.ok(!side.includes(value) && !side.includes(Buffer.from(value).toString('base64')), `${value} leaked`);
      }
      assert.doesNotMatch(side, /resourceVersion|uid|managedFields|creationTimestamp/);
    }
    assert.match(left, /password: "?\*\*\* \(8 bytes, before\)/);
    assert.match(right, /password: "?\*\*\* \(12 bytes, after\)/);
    assert.match(left, /user: "?\*\*\* \(3 bytes\)"?$/m);
    assert.match(right, /token: "?\*\*\* \(3 bytes\)"?$/m);
  });

  it('masks stringData (a manifest shown as written) and a same-length change is still a change', () => {
    const desired = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { pin: '1234' } };
    const { left, right, changed } = renderDiff(undefined, desired);
    assert.equal(left, '');
    assert.ok(!right.includes('1234'));
    assert.match(right, /pin: "?\*\*\* \(4 bytes\)/);
    assert.equal(changed, true);
    const sameLength = renderDiff(secret({ pin: '1234' }), secret({ pin: '9999' }));
    assert.equal(sameLength.changed, true);
    assert.equal(renderDiff(secret({ pin: '1234' }), secret({ pin: '1234' })).changed, false);
    assert.equal(desired.stringData.pin, '1234', 'the inputs are not modified');
  });

  it('strips status, server metadata and the last-applied annotation, and ignores key order', () => {
    const live = {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name: 'c', generation: 3, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"secret":"x"}' } },
      data: { b: '2', a: '1' },
      status: { phase: 'x' },
    };
    assert.deepEqual(normalizeForDisplay(live), { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c' }, data: { b: '2', a: '1' } });
    const reordered = { apiVersion: 'v1', data: { a: '1', b: '2' }, metadata: { name: 'c' }, kind: 'ConfigMap' };
    assert.equal(renderDiff(live, reordered).changed, false);
    assert.equal(renderDiff(live, { ...reordered, data: { a: '1', b: '3' } }).changed, true);
  });
});

describe('appliedChange: what counts as a no-op apply', () => {
  const manifest = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'w', namespace: 'n', labels: { app: 'w' } },
    spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1' }] } } },
  } as KubeManifest;
  const live = (image: string, extra: Record<string, unknown> = {}, owned: unknown = { 'f:spec': {} }) =>
    ({
      ...manifest,
      metadata: {
        ...manifest.metadata,
        resourceVersion: String(Math.random()),
        managedFields: [{ manager: 'fintech-k8s', operation: 'Apply', fieldsV1: owned }],
        ...extra,
      },
      spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image, terminationMessagePath: '/dev/termination-log' }] } } },
      status: { replicas: Math.random() },
    }) as KubeManifest;

  it('ignores status writes, resourceVersion bumps and controller annotations between the read and the apply', () => {
    assert.equal(
      appliedChange(live('nginx:1'), live('nginx:1', { annotations: { 'deployment.kubernetes.io/revision': '2' } }), manifest),
      false,
    );
  });

  it('sees a changed value, a field given up, and a changed Secret value', () => {
    assert.equal(appliedChange(live('nginx:0'), live('nginx:1'), manifest), true);
    assert.equal(appliedChange(live('nginx:1', {}, { 'f:spec': { 'f:replicas': {} } }), live('nginx:1'), manifest), true);
    const secretManifest = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 'new' } } as KubeManifest;
    const stored = (value: string) => ({ ...secretManifest, data: { a: Buffer.from(value).toString('base64') } }) as KubeManifest;
    assert.equal(appliedChange(stored('old'), stored('new'), secretManifest), true);
    assert.equal(appliedChange(stored('new'), stored('new'), secretManifest), false);
  });
});

describe('rolloutProgress', () => {
  const deployment = (status: Record<string, unknown>, generation = 2, replicas = 3) => ({
    kind: 'Deployment',
    metadata: { generation },
    spec: { replicas },
    status: { observedGeneration: 2, ...status },
  });

  it('waits for the controller, the updated replicas, the old ones to go, and availability', () => {
    assert.equal(rolloutProgress(deployment({}, 3)).done, false);
    assert.match(rolloutProgress(deployment({ updatedReplicas: 1, replicas: 3 })).message, /1 of 3 updated/);
    assert.match(rolloutProgress(deployment({ updatedReplicas: 3, replicas: 4 })).message, /1 old replicas/);
    assert.equal(rolloutProgress(deployment({ updatedReplicas: 3, replicas: 3, availableReplicas: 2 })).done, false);
    assert.equal(rolloutProgress(deployment({ updatedReplicas: 3, replicas: 3, readyReplicas: 3, availableReplicas: 3 })).done, true);
    const stuck = rolloutProgress(deployment({ conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }] }));
    assert.equal(stuck.failed, true);
  });

  it('follows StatefulSet revisions and partitions, DaemonSet scheduling, and skips OnDelete', () => {
    const sts = (status: Record<string, unknown>, partition?: number) => ({
      kind: 'StatefulSet',
      metadata: { generation: 1 },
      spec: { replicas: 2, updateStrategy: { type: 'RollingUpdate', rollingUpdate: partition ? { partition } : undefined } },
      status: { observedGeneration: 1, ...status },
    });
    assert.equal(rolloutProgress(sts({ readyReplicas: 2, currentRevision: 'a', updateRevision: 'b', updatedReplicas: 1 })).done, false);
    assert.equal(rolloutProgress(sts({ readyReplicas: 2, currentRevision: 'b', updateRevision: 'b', updatedReplicas: 2 })).done, true);
    assert.equal(rolloutProgress(sts({ readyReplicas: 2, currentRevision: 'a', updateRevision: 'b', updatedReplicas: 1 }, 1)).done, true);
    const ds = (status: Record<string, unknown>) => ({
      kind: 'DaemonSet',
      metadata: { generation: 1 },
      status: { observedGeneration: 1, ...status },
    });
    assert.equal(rolloutProgress(ds({ desiredNumberScheduled: 2, updatedNumberScheduled: 1, numberAvailable: 2 })).done, false);
    assert.equal(rolloutProgress(ds({ desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2 })).done, true);
    assert.equal(
      rolloutProgress({
        kind: 'DaemonSet',
        metadata: { generation: 1 },
        spec: { updateStrategy: { type: 'OnDelete' } },
        status: { observedGeneration: 1 },
      }).done,
      true,
    );
  });
});

describe('production contexts', () => {
  // The default users get is the one package.json declares.
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const defaultPattern: string = manifest.contributes.configuration.properties['fintechK8s.productionContextPattern'].default;
  const isProduction = (name: string, pattern = defaultPattern) => checkProductionContext(name, pattern).production;

  it('matches the default pattern case-insensitively', () => {
    assert.equal(isProduction('prod-payments'), true);
    assert.equal(isProduction('EU-PRD-1'), true);
    assert.equal(isProduction('payments-live'), true);
    assert.equal(isProduction('dev-payments'), false);
    assert.equal(isProduction('staging'), false);
  });

  it('uses a custom pattern, and treats an invalid one as production with the error', () => {
    assert.equal(isProduction('eu-main', '^eu-main$'), true);
    assert.equal(isProduction('prod-payments', '^eu-main$'), false);
    const invalid = checkProductionContext('dev', 'prod(');
    assert.equal(invalid.production, true);
    assert.match(invalid.patternError ?? '', /not a valid regular expression/);
    assert.equal(checkProductionContext('dev', defaultPattern).patternError, undefined);
  });
});

// Keep the planned-object shape honest for the UI: plain data only (it may cross a message boundary).
describe('PlannedObject', () => {
  it('is plain JSON', () => {
    const [planned] = planDeploy(doc('ConfigMap', 'a'), 'f.yaml').objects as PlannedObject[];
    assert.deepEqual(JSON.parse(JSON.stringify(planned)), planned);
  });
});
