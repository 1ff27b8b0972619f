// Offline schema validation (schema-invalid): the compact model built from OpenAPI, the validator on
// hand-made schemas, and the bundled Kubernetes schemas through the engine, per version.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../server/cli/cli';
import { ConfigError, kubernetesVersionOf, parseConfigFile, resolveConfig } from '../../server/engine/config';
import { analyze, analyzeText } from '../../server/engine/engine';
import { bundledSchemas } from '../../server/engine/schema/bundle';
import { compactOpenApiV3, compactSwagger } from '../../server/engine/schema/compact';
import type { SchemaShape } from '../../server/engine/schema/model';
import { validateValue } from '../../server/engine/schema/validate';
import { DEFAULT_KUBERNETES_VERSION, SUPPORTED_KUBERNETES_VERSIONS } from '../../server/engine/schema/versions';
import { ALL_RULES } from '../../server/engine/rules';

const definitions: Record<string, SchemaShape> = {
  'io.example.v1.Widget': {
    type: 'object',
    required: ['size'],
    properties: {
      size: { type: 'integer' },
      port: { type: 'int-or-string' },
      memory: { type: 'quantity' },
      secret: { type: 'byte' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      parts: { type: 'array', items: 'io.example.v1.Part' },
      extra: { type: 'object', open: true, properties: { known: { type: 'boolean' } } },
      free: { type: 'object' },
    },
  },
  'io.example.v1.Part': { type: 'object', properties: { name: { type: 'string' } } },
};
const lookup = { definition: (name: string) => definitions[name] };
const check = (value: unknown) => validateValue(value, 'io.example.v1.Widget', lookup, 'io.example.v1.Widget');

describe('schema validator', () => {
  it('accepts what the API server accepts', async () => {
    const ok = {
      size: 3,
      port: 'http',
      memory: 1.5,
      secret: 'aGVsbG8=',
      labels: { app: 'x' },
      parts: [{ name: 'a' }, null],
      extra: { known: true, anything: 1 },
      free: { a: { b: 1 } },
    };
    assert.deepEqual(check(ok), []);
    assert.deepEqual(check({ size: 1, port: 8080, memory: '256Mi', labels: null }), []);
    for (const memory of ['500m', '1Gi', '2', '1e3', '0.5', '+1k']) assert.deepEqual(check({ size: 1, memory }), [], memory);
  });

  it('names an unknown field on its key, with the nearest known field', async () => {
    const [issue, ...rest] = check({ size: 1, portt: 80 });
    assert.deepEqual(rest, []);
    assert.deepEqual(issue.path, ['portt']);
    assert.equal(issue.onKey, true);
    assert.match(issue.message, /Unknown field "portt" in Widget \(did you mean "port"\?\)/);
    assert.doesNotMatch(check({ size: 1, completelyDifferent: 1 })[0].message, /did you mean/);
    assert.match(check({ size: 1, parts: [{ nmae: 'a' }] })[0].message, /Unknown field "nmae" in Part \(did you mean "name"\?\)/);
  });

  it('reports wrong types, missing required fields and malformed quantities at their paths', async () => {
    const issues = check({ size: '3', port: 1.5, memory: '512MB', labels: { app: 7 }, parts: {} });
    assert.deepEqual(
      issues.map((i) => [i.path.join('.'), i.message]),
      [
        ['size', '"size" in Widget must be an integer, not a string.'],
        ['port', '"port" in Widget must be an integer or a string, not a decimal number.'],
        ['memory', '"memory" in Widget is not a quantity: "512MB" (use forms such as 500m, 2, 256Mi or 1Gi).'],
        ['labels.app', '"labels.app" in Widget must be a string, not an integer (quote it).'],
        ['parts', '"parts" in Widget must be a list, not a mapping.'],
      ],
    );
    assert.deepEqual(check({}), [{ path: [], message: 'Widget is missing the required field "size".' }]);
  });

  it('never quotes the value of a base64 field', async () => {
    const [issue] = check({ size: 1, secret: 'hunter2-is-my-password!' });
    assert.match(issue.message, /not valid base64/);
    assert.ok(!issue.message.includes('hunter2'));
  });

  it('stops after 20 issues in one object', async () => {
    const value: Record<string, unknown> = { size: 1 };
    for (let i = 0; i < 50; i++) value[`unknown${i}`] = i;
    assert.equal(check(value).length, 20);
  });
});

describe('OpenAPI → compact schema', () => {
  it('keys kinds by apiVersion and kind, skipping lists, and keeps structure without prose', async () => {
    const bundle = compactSwagger(
      {
        definitions: {
          'io.k8s.api.apps.v1.Deployment': {
            description: 'long prose',
            type: 'object',
            'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Deployment' }],
            properties: { spec: { $ref: '#/definitions/io.k8s.api.apps.v1.DeploymentSpec', description: 'prose' } },
          },
          'io.k8s.api.apps.v1.DeploymentList': {
            type: 'object',
            'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'DeploymentList' }],
          },
          'io.k8s.api.core.v1.Pod': { type: 'object', 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Pod' }] },
          'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string' },
          'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: 'string', format: 'int-or-string' },
          'io.k8s.apimachinery.pkg.runtime.RawExtension': {},
        },
      },
      '1.99',
    );
    assert.deepEqual(bundle.kinds, { 'apps/v1 Deployment': 'io.k8s.api.apps.v1.Deployment', 'v1 Pod': 'io.k8s.api.core.v1.Pod' });
    assert.deepEqual(bundle.definitions['io.k8s.api.apps.v1.Deployment'], {
      type: 'object',
      properties: { spec: 'io.k8s.api.apps.v1.DeploymentSpec' },
    });
    assert.deepEqual(bundle.definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'], { type: 'quantity' });
    assert.deepEqual(bundle.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'], { type: 'int-or-string' });
    assert.deepEqual(bundle.definitions['io.k8s.apimachinery.pkg.runtime.RawExtension'], { type: 'any' });
  });

  it('reads CRD schemas: preserve-unknown-fields, int-or-string, unions, additionalProperties', async () => {
    const shape = compactOpenApiV3({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
            either: { oneOf: [{ type: 'integer' }, { type: 'string' }] },
            tags: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
      },
    });
    assert.deepEqual(shape.properties!.spec, {
      type: 'object',
      properties: {
        config: { type: 'object', open: true },
        port: { type: 'int-or-string' },
        either: { type: 'any' },
        tags: { type: 'object', additionalProperties: { type: 'string' } },
      },
    });
  });
});

const deployment = (podSpecExtra: string, apiVersion = 'apps/v1') => `apiVersion: ${apiVersion}
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:${podSpecExtra}
      containers:
        - name: api
          image: registry.example.com/api:1.0.0
`;

function schemaFindings(text: string, kubernetesVersion?: string) {
  const config = resolveConfig({ kubernetesVersion });
  return analyzeText('manifest.yaml', text, { config }).findings.filter((f) => f.ruleId === 'schema-invalid');
}

describe('bundled Kubernetes schemas', () => {
  it('bundles at least the newest three minors, each with the core workload kinds', async () => {
    assert.ok(SUPPORTED_KUBERNETES_VERSIONS.length >= 3);
    assert.equal(DEFAULT_KUBERNETES_VERSION, SUPPORTED_KUBERNETES_VERSIONS.at(-1));
    for (const minor of SUPPORTED_KUBERNETES_VERSIONS) {
      const bundle = bundledSchemas(minor);
      assert.equal(bundle.kubernetesVersion, minor);
      for (const kind of [
        'v1 Pod',
        'v1 Service',
        'v1 Secret',
        'apps/v1 Deployment',
        'networking.k8s.io/v1 NetworkPolicy',
        'rbac.authorization.k8s.io/v1 Role',
      ])
        assert.ok(bundle.kinds[kind], `${minor}: ${kind}`);
    }
  });

  it('marks exactly the unknown key', async () => {
    const text = deployment('\n      hostNetwrk: true');
    const [finding, ...rest] = schemaFindings(text);
    assert.deepEqual(rest, []);
    assert.equal(text.slice(finding.span.start, finding.span.end), 'hostNetwrk');
    assert.equal(finding.range.start.line, 11);
    assert.match(finding.message, /Unknown field "hostNetwrk" in PodSpec \(did you mean "hostNetwork"\?\)/);
  });

  it('says where a securityContext field belongs when it is set at the wrong level', async () => {
    const [podLevel] = schemaFindings(deployment('\n      securityContext:\n        readOnlyRootFilesystem: true'));
    assert.match(
      podLevel.message,
      /Unknown field "readOnlyRootFilesystem" in PodSecurityContext \(it belongs in each container's securityContext\)/,
    );
    const containerLevel = schemaFindings(
      deployment('').replace(
        'image: registry.example.com/api:1.0.0',
        'image: registry.example.com/api:1.0.0\n          securityContext: {fsGroup: 2000}',
      ),
    );
    assert.match(containerLevel[0].message, /Unknown field "fsGroup" in SecurityContext \(it belongs in the pod's securityContext\)/);
  });

  it('validates against the configured version: a field or API added later is unknown to older versions', async () => {
    const newer = deployment('\n      schedulingGroup: {podGroupName: batch}');
    assert.deepEqual(schemaFindings(newer, '1.37'), []);
    assert.match(schemaFindings(newer, '1.34')[0]?.message ?? '', /Unknown field "schedulingGroup" in PodSpec/);
    const policy = `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingAdmissionPolicy
metadata:
  name: add-labels
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
  mutations: []
  failurePolicy: Fail
  reinvocationPolicy: Never
`;
    assert.deepEqual(schemaFindings(policy, '1.37'), []);
    const [unserved] = schemaFindings(policy, '1.34');
    assert.match(unserved.message, /^Kubernetes 1\.34 does not serve MutatingAdmissionPolicy as admissionregistration\.k8s\.io\/v1: use /);
    assert.equal(unserved.range.start.line, 0);
  });

  it('leaves removed API versions to deprecated-api-version and unknown groups alone', async () => {
    const removed = analyzeText('m.yaml', deployment('', 'extensions/v1beta1')).findings.map((f) => f.ruleId);
    assert.ok(removed.includes('deprecated-api-version'));
    assert.ok(!removed.includes('schema-invalid'));
    assert.deepEqual(schemaFindings('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {anything: 1}\n'), []);
    assert.match(
      schemaFindings('apiVersion: apps/v1\nkind: Deplyment\nmetadata: {name: w}\n')[0].message,
      /has no kind Deplyment in the apps API group/,
    );
  });

  it('checks a custom resource against a CRD in another file of the workspace', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: routes.pay.example.com}
spec:
  group: pay.example.com
  scope: Namespaced
  names: {plural: routes, kind: Route}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {weight: {type: integer}}}
`;
    const resource = 'apiVersion: pay.example.com/v1\nkind: Route\nmetadata: {name: r, labels: {a: b}}\nspec: {wieght: 3}\n';
    const [, route] = analyze([
      { file: 'crd.yaml', text: crd },
      { file: 'route.yaml', text: resource },
    ]);
    const findings = route.findings.filter((f) => f.ruleId === 'schema-invalid');
    assert.deepEqual(
      findings.map((f) => [f.range.start.line, f.message]),
      [[3, 'Unknown field "wieght" in "spec" of Route (did you mean "weight"?); the API server rejects it.']],
    );
  });
});

describe('kubernetesVersion setting', () => {
  const ids = new Set(ALL_RULES.map((r) => r.id));
  it('takes a bundled minor in any common spelling', async () => {
    assert.equal(kubernetesVersionOf('1.35'), '1.35');
    assert.equal(kubernetesVersionOf('v1.36.2'), '1.36');
    assert.equal(kubernetesVersionOf(1.35), '1.35');
    assert.equal(parseConfigFile('kubernetesVersion: "1.34"', ids).kubernetesVersion, '1.34');
    assert.equal(resolveConfig().kubernetesVersion, DEFAULT_KUBERNETES_VERSION);
  });

  it('refuses a version that is not bundled, naming the ones that are', async () => {
    assert.throws(
      () => parseConfigFile('kubernetesVersion: "1.20"', ids),
      (error: Error) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /"kubernetesVersion" "1.20" is not bundled: use one of 1\.34, 1\.35/);
        return true;
      },
    );
  });

  it('is a CLI flag, checked like the setting', async () => {
    const run = async (...args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await main(args, {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        readStdin: () => deployment('\n      schedulingGroup: {podGroupName: b}'),
        cwd: '/',
      });
      return { code, stdout, stderr };
    };
    assert.doesNotMatch((await run('scan', '-k', '1.37', '-')).stdout, /schema-invalid/);
    assert.match((await run('scan', '--kubernetes-version', '1.34', '-')).stdout, /schema-invalid/);
    const bad = await run('scan', '-k', '2.0', '-');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--kubernetes-version "2.0" is not bundled/);
  });
});
