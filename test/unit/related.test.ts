// Findings that depend on an object elsewhere (Finding.related): the engine resolves the file, line and
// message of each related object, whether its file is analysed in the same run (exact path, even after that
// file was checked and let go) or only known through the workspace index (the anchor recorded at indexing).
// The CLI prints them under the finding, in JSON and as SARIF relatedLocations.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import { main } from '../../server/cli/cli';
import { DEFAULT_CONFIG } from '../../server/engine/config';
import { analyze, analyzeText, prepareFile } from '../../server/engine/engine';
import { recordAnchors } from '../../server/engine/related';
import type { FileResult, Finding } from '../../server/engine/types';
import { WorkspaceIndex } from '../../server/src/workspace-index';

const SARIF_SCHEMA = join(
  resolve(__dirname, '..', '..'),
  'node_modules',
  '@microsoft',
  'jest-sarif',
  'lib',
  'schemas',
  'sarif-2.1.0-rtm.5.json',
);

const NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels:
    pci-dss.fintech-k8s.io/scope: cde
`;

const CLAIM = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ledger-data
  namespace: payments
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 10Gi}}
`;

const RPC_SERVICE = `# The node's JSON-RPC, inside the cluster only.
apiVersion: v1
kind: Service
metadata:
  name: geth-rpc
  namespace: chain
spec:
  selector: {app: geth}
  ports:
    - name: rpc
      port: 8545
`;

const NODE = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: geth
  namespace: chain
spec:
  template:
    metadata:
      labels: {app: geth}
    spec:
      containers:
        - name: geth
          image: ethereum/client-go:v1.14.0
`;

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: public
  namespace: chain
spec:
  rules:
    - host: rpc.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: geth-rpc
                port: {number: 8545}
`;

const ACCOUNT = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ledger
  namespace: shop
automountServiceAccountToken: true
`;

const LEDGER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ledger
  namespace: shop
spec:
  template:
    spec:
      serviceAccountName: ledger
      containers:
        - name: app
          image: registry.example.com/ledger:1.0.0
`;

const AUTOSCALER = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
  namespace: shop
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 1
  maxReplicas: 5
`;

const API = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.0.0
          ports: [{containerPort: 8080}]
`;

const BUDGET = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: api
  namespace: shop
spec:
  minAvailable: 2
  selector: {matchLabels: {app: api}}
`;

const API_TWO = API.replace('spec:\n  template:', 'spec:\n  replicas: 2\n  template:');

/** One workspace with a dependency of each other kind the rules link. */
const WORKSPACE: Record<string, string> = {
  'svc.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
    - name: http
      port: 80
      targetPort: 9090
`,
  'web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.0.0
          ports: [{containerPort: 8080, name: http}]
`,
  'ing.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  ingressClassName: internal
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port: {number: 8080}
`,
  'class.yaml': `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: internal
spec:
  controller: k8s.io/ingress-nginx
`,
  'ing2.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web2
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/ssl-redirect: "false"
spec:
  ingressClassName: internal
  defaultBackend: {service: {name: web, port: {number: 80}}}
`,
  'sa.yaml': `apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
`,
  'validator.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: validator
  namespace: chain
spec:
  template:
    metadata:
      labels: {app: validator}
    spec:
      containers:
        - name: lighthouse
          image: sigp/lighthouse:v5.0.0
          args: [lighthouse, vc]
        - name: signer
          image: consensys/web3signer:24.1.0
          ports: [{containerPort: 9000}]
        - name: geth
          image: ethereum/client-go:v1.14.0
          ports: [{containerPort: 6060}]
`,
  'hpa.yaml': `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: validator
  namespace: chain
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: validator}
  maxReplicas: 3
`,
  'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: open
  namespace: chain
spec:
  podSelector: {matchLabels: {app: validator}}
  policyTypes: [Ingress]
  ingress:
    - {}
`,
};

function finding(results: FileResult[], file: string, ruleId: string): Finding {
  const found = results.find((r) => r.file === file)?.findings.find((f) => f.ruleId === ruleId);
  assert.ok(found, `${ruleId} in ${file}: ${JSON.stringify(results.map((r) => [r.file, r.findings.map((f) => f.ruleId)]))}`);
  return found;
}

/** [file, zero-based line, character, message] of each related entry. */
function related(f: Finding): [string, number, number, string][] {
  return (f.related ?? []).map((r) => [r.file, r.range.start.line, r.range.start.character, r.message]);
}

describe('related objects of cross-file findings', () => {
  it('a Namespace label in another file puts a claim in PCI scope: pvc-in-pci-without-class links to the label', async () => {
    const expected = [['ns.yaml', 5, 4, 'Namespace payments is PCI-scoped by label pci-dss.fintech-k8s.io/scope=cde']];
    // Either order: the Namespace's file checked (and let go) before the claim's, or after.
    for (const files of [
      [
        { file: 'ns.yaml', text: NAMESPACE },
        { file: 'pvc.yaml', text: CLAIM },
      ],
      [
        { file: 'pvc.yaml', text: CLAIM },
        { file: 'ns.yaml', text: NAMESPACE },
      ],
    ]) {
      assert.deepEqual(related(finding(analyze(files), 'pvc.yaml', 'pvc-in-pci-without-class')), expected);
    }
  });

  it('every rule that applies only in PCI scope links the Namespace label', async () => {
    const cde = [
      'apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: payments}\nspec: {type: NodePort, ports: [{port: 443}]}',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: out, namespace: payments}\nspec:\n  podSelector: {}\n  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}]}]',
      'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: mesh, namespace: payments}\nspec: {mtls: {mode: PERMISSIVE}}',
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: payments}\nspec: {ingressClassName: nginx, defaultBackend: {service: {name: api, port: {number: 443}}}}',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: payments}\nspec:\n  template:\n    spec:\n      containers: [{name: api, image: registry.example.com/api:1.0.0}]',
    ].join('\n---\n');
    const results = analyze([
      { file: 'ns.yaml', text: NAMESPACE },
      { file: 'cde.yaml', text: cde },
    ]);
    const expected = [['ns.yaml', 5, 4, 'Namespace payments is PCI-scoped by label pci-dss.fintech-k8s.io/scope=cde']];
    for (const ruleId of [
      'service-exposed',
      'netpol-allow-all-cidr',
      'mtls-not-strict',
      'ingress-ssl-redirect',
      'pci-scope-label',
      'pci-dedicated-nodes',
      'pci-audit-logging',
    ])
      assert.deepEqual(related(finding(results, 'cde.yaml', ruleId)), expected, ruleId);
  });

  it('PCI scope from settings alone links nothing: there is no object to point at', async () => {
    const result = analyzeText('pvc.yaml', CLAIM, { config: { ...DEFAULT_CONFIG, pciNamespaces: ['payments'] } });
    assert.equal(finding([result], 'pvc.yaml', 'pvc-in-pci-without-class').related, undefined);
  });

  it('an Ingress routing to a node RPC port links to the Service port and the node, each in its file', async () => {
    const results = analyze([
      { file: 'ingress.yaml', text: INGRESS },
      { file: 'rpc.yaml', text: RPC_SERVICE },
      { file: 'node.yaml', text: NODE },
    ]);
    assert.deepEqual(related(finding(results, 'ingress.yaml', 'rpc-port-exposed')), [
      ['rpc.yaml', 9, 6, 'Service chain/geth-rpc exposes port 8545'],
      ['node.yaml', 11, 10, 'StatefulSet chain/geth runs the geth node'],
    ]);
  });

  it('a ServiceAccount elsewhere that turns the token on: automount-service-account-token links to its setting', async () => {
    const results = analyze([
      { file: 'deploy.yaml', text: LEDGER },
      { file: 'sa.yaml', text: ACCOUNT },
    ]);
    assert.deepEqual(related(finding(results, 'deploy.yaml', 'automount-service-account-token')), [
      ['sa.yaml', 5, 0, 'ServiceAccount shop/ledger sets automountServiceAccountToken: true'],
    ]);
  });

  it('an autoscaler elsewhere decides the replicas: replicas-minimum and pod-disruption-budget link to its bounds', async () => {
    const results = analyze([
      { file: 'api.yaml', text: API },
      { file: 'hpa.yaml', text: AUTOSCALER },
    ]);
    assert.deepEqual(related(finding(results, 'api.yaml', 'replicas-minimum')), [
      ['hpa.yaml', 7, 2, 'HorizontalPodAutoscaler shop/api sets minReplicas: 1'],
    ]);
    assert.deepEqual(related(finding(results, 'api.yaml', 'pod-disruption-budget')), [
      ['hpa.yaml', 8, 2, 'HorizontalPodAutoscaler shop/api sets maxReplicas: 5'],
    ]);
  });

  it('a PodDisruptionBudget that blocks eviction links to the replica count of the workload it selects', async () => {
    const results = analyze([
      { file: 'pdb.yaml', text: BUDGET },
      { file: 'api.yaml', text: API_TWO },
    ]);
    assert.deepEqual(related(finding(results, 'pdb.yaml', 'pdb-blocks-eviction')), [
      ['api.yaml', 6, 2, 'Deployment shop/api runs 2 replicas'],
    ]);
  });

  it('a Service in the same file resolves to the exact path, like one in another file', async () => {
    const text = `${INGRESS}---\n${RPC_SERVICE}`;
    const offset = INGRESS.split('\n').length; // the `---` line, then the Service document
    const result = analyzeText('all.yaml', text);
    assert.deepEqual(related(finding([result], 'all.yaml', 'rpc-port-exposed')), [
      ['all.yaml', offset + 9, 6, 'Service chain/geth-rpc exposes port 8545'],
    ]);
  });

  it('objects known only through the workspace index link to the anchor recorded at indexing (their name)', async () => {
    const prepared = prepareFile({ file: 'file:///ws/ns.yaml', text: NAMESPACE }, DEFAULT_CONFIG);
    recordAnchors(prepared);
    assert.deepEqual(prepared.objects[0].anchor, { start: { line: 3, character: 2 }, end: { line: 3, character: 16 } });
    const result = analyzeText('file:///ws/pvc.yaml', CLAIM, { contextObjects: prepared.objects });
    assert.deepEqual(related(finding([result], 'file:///ws/pvc.yaml', 'pvc-in-pci-without-class')), [
      ['file:///ws/ns.yaml', 3, 2, 'Namespace payments is PCI-scoped by label pci-dss.fintech-k8s.io/scope=cde'],
    ]);
  });

  it('with a reader for context files, links land on the exact key; a file changed since indexing falls back to the anchor', async () => {
    const prepared = prepareFile({ file: 'file:///ws/ns.yaml', text: NAMESPACE }, DEFAULT_CONFIG);
    recordAnchors(prepared);
    const labelLine = NAMESPACE.split('\n').findIndex((line) => line.includes('pci-dss.fintech-k8s.io/scope'));
    const linked = (text: string | undefined) =>
      related(
        finding(
          [analyzeText('file:///ws/pvc.yaml', CLAIM, { contextObjects: prepared.objects, readContextFile: () => text })],
          'file:///ws/pvc.yaml',
          'pvc-in-pci-without-class',
        ),
      )[0].slice(1, 3);
    assert.deepEqual(linked(NAMESPACE), [labelLine, 4]);
    assert.deepEqual(linked(NAMESPACE.replace('name: payments', 'name: ledger')), [3, 2], 'not the same object any more');
    assert.deepEqual(linked(undefined), [3, 2], 'unreadable');
  });

  it('a finding caused by nothing elsewhere has no related entries', async () => {
    const result = analyzeText('api.yaml', API);
    assert.ok(result.findings.length > 0);
    assert.ok(result.findings.every((f) => f.related === undefined));
  });
});

describe('every rule that links a dependency', () => {
  const results = analyze(Object.entries(WORKSPACE).map(([file, text]) => ({ file, text })));
  const cases: [string, string, [string, number, number, string][]][] = [
    ['svc.yaml', 'service-target-port', [['web.yaml', 11, 6, 'Deployment shop/web declares container ports 8080']]],
    ['web.yaml', 'default-service-account', [['sa.yaml', 3, 2, 'ServiceAccount shop/web is defined: the fix runs the pods under it']]],
    ['ing.yaml', 'ingress-dangling-backend', [['svc.yaml', 7, 2, 'Service shop/web in svc.yaml declares port 80 ("http")']]],
    ['ing2.yaml', 'ingress-ssl-redirect', [['class.yaml', 5, 2, 'IngressClass internal is served by ingress-nginx']]],
    ['validator.yaml', 'validator-replicas', [['hpa.yaml', 7, 2, 'HorizontalPodAutoscaler chain/validator sets maxReplicas: 3']]],
    ['validator.yaml', 'topology-spread', [['hpa.yaml', 7, 2, 'HorizontalPodAutoscaler chain/validator sets maxReplicas: 3']]],
    ['validator.yaml', 'signer-not-isolated', [['np.yaml', 9, 6, 'NetworkPolicy chain/open admits ingress from any source']]],
    ['validator.yaml', 'node-metrics-exposed', [['np.yaml', 9, 6, 'NetworkPolicy chain/open admits port 6060 from any source']]],
  ];
  for (const [file, ruleId, expected] of cases) {
    it(`${ruleId} links ${expected.map((e) => e[0]).join(', ')}`, () => {
      assert.deepEqual(related(finding(results, file, ruleId)), expected);
    });
  }
});

describe('workspace index: what an edit changed for the other files', () => {
  it('tells moved objects (links elsewhere must follow) from changed ones (findings elsewhere may change)', async () => {
    const index = new WorkspaceIndex();
    const uri = 'file:///ws/rpc.yaml';
    assert.equal(index.update(uri, RPC_SERVICE), 'objects');
    assert.equal(index.update(uri, RPC_SERVICE), undefined);
    assert.equal(index.update(uri, `# moved down\n${RPC_SERVICE}`), 'positions');
    assert.equal(index.contextFor('file:///ws/other.yaml')[0].anchor?.start.line, 5, 'the anchor follows the edit');
    assert.equal(index.update(uri, `# moved down\n${RPC_SERVICE.replace('8545', '8546')}`), 'objects');
  });
});

describe('related locations in CLI output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fintech-k8s-related-'));
  writeFileSync(join(dir, 'ingress.yaml'), INGRESS);
  writeFileSync(join(dir, 'rpc.yaml'), RPC_SERVICE);
  async function cli(args: string[]) {
    let stdout = '';
    await main(args, { stdout: (t) => (stdout += t), stderr: () => {}, readStdin: () => '', cwd: dir });
    return stdout;
  }

  it('text: indented under the finding as file:line:col and message', async () => {
    const stdout = await cli(['scan', 'ingress.yaml', 'rpc.yaml']);
    assert.match(
      stdout,
      /^ingress\.yaml:14:15: error \[rpc-port-exposed\] .*\n {2}related: rpc\.yaml:10:7 Service chain\/geth-rpc exposes port 8545$/m,
    );
  });

  it('JSON: a related list with file, message and 1-based positions', async () => {
    const report = JSON.parse(await cli(['scan', 'ingress.yaml', 'rpc.yaml', '--format', 'json']));
    const rpc = report.files[0].findings.find((f: { ruleId: string }) => f.ruleId === 'rpc-port-exposed');
    assert.deepEqual(rpc.related, [
      { file: 'rpc.yaml', message: 'Service chain/geth-rpc exposes port 8545', startLine: 10, startColumn: 7, endLine: 10, endColumn: 16 },
    ]);
  });

  it('SARIF: relatedLocations with a message and a relative artifact, valid against the 2.1.0 schema', async () => {
    const log = JSON.parse(await cli(['scan', 'ingress.yaml', 'rpc.yaml', '--format', 'sarif']));
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')));
    const valid: boolean = validate(log);
    assert.ok(valid, JSON.stringify(validate.errors, null, 2));
    const rpc = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'rpc-port-exposed');
    assert.deepEqual(rpc.relatedLocations, [
      {
        id: 0,
        physicalLocation: {
          artifactLocation: { uri: 'rpc.yaml', uriBaseId: 'SRCROOT' },
          region: { startLine: 10, startColumn: 7, endLine: 10, endColumn: 16 },
        },
        message: { text: 'Service chain/geth-rpc exposes port 8545' },
      },
    ]);
  });
});
