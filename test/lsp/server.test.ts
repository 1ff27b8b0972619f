// The built language server (dist/server.js) spoken to over stdio, as an editor would: diagnostics as you
// type, quick fixes, hover, outline, settings pulled per document, and the workspace scan.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  CodeActionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  FileChangeType,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type Diagnostic,
  type DocumentSymbol,
  type MarkupContent,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { AnalyzeRequest, ComplianceReportRequest, ScanFilesRequest } from '../../server/protocol';

const SERVER = resolve(__dirname, '..', '..', 'dist', 'server.js');

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: payments-api
  namespace: payments
spec:
  replicas: 2
  template:
    metadata:
      labels: {app: payments-api}
    spec:
      containers:
        - name: api # the card API
          image: registry.example.com/payments/api:1.4.2
---
apiVersion: v1
kind: Service
metadata:
  name: payments-api
  namespace: payments
spec:
  selector: {app: payments-api}
  ports: [{port: 443}]
`;

function serviceAccount(name: string): string {
  return `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: payments\nautomountServiceAccountToken: false\n`;
}

function workload(name: string, account: string): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: payments\nspec:\n  template:\n    spec:\n      serviceAccountName: ${account}\n      containers:\n        - name: app\n          image: registry.example.com/app:1.0.0\n`;
}

describe('language server over stdio', () => {
  let server: ChildProcess;
  let connection: ProtocolConnection;
  let workspace: string;
  const published: PublishDiagnosticsParams[] = [];
  let settings: Record<string, unknown> = { enable: true, severityThreshold: 'info', trustedRegistries: [], pciNamespaces: [] };
  let stderr = '';

  /** Resolves with the next diagnostics for uri that satisfy the predicate. */
  function diagnosticsFor(uri: string, predicate: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 10_000): Promise<Diagnostic[]> {
    return new Promise((resolvePromise, reject) => {
      const started = Date.now();
      const poll = () => {
        const match = [...published].reverse().find((p) => p.uri === uri);
        if (match && predicate(match.diagnostics)) return resolvePromise(match.diagnostics);
        if (Date.now() - started > timeoutMs)
          return reject(
            new Error(`no matching diagnostics for ${uri}; last: ${JSON.stringify(match?.diagnostics.map((d) => d.code))}\n${stderr}`),
          );
        setTimeout(poll, 20);
      };
      poll();
    });
  }

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'fintech-k8s-lsp-'));
    writeFileSync(join(workspace, '.fintech-k8s.yaml'), 'rules:\n  cpu-limits: off\n');
    // Present before the server starts: the workspace index reads it at start-up.
    writeFileSync(join(workspace, 'accounts-at-start.yaml'), serviceAccount('boot'));
    server = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    server.stderr!.on('data', (chunk) => (stderr += chunk));
    connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    connection.onNotification(PublishDiagnosticsNotification.method, (params: PublishDiagnosticsParams) => {
      published.push(params);
    });
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => settings));
    connection.listen();
    const init = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).href,
      workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'ws' }],
      capabilities: { workspace: { configuration: true } },
    });
    assert.equal(init.serverInfo?.name, 'fintech-k8s');
    await connection.sendNotification(InitializedNotification.type, {});
  });

  after(() => {
    connection?.dispose();
    server?.kill();
  });

  /** Each test opens its own document, so any one of them runs alone or in any order. */
  async function openDocument(name: string, text = MANIFEST): Promise<string> {
    const uri = pathToFileURL(join(workspace, name)).href;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    return uri;
  }

  /** Resolves with the diagnostics of the last publication for uri once it is of this version. */
  function diagnosticsOfVersion(uri: string, version: number): Promise<Diagnostic[]> {
    return diagnosticsFor(uri, () => [...published].reverse().find((p) => p.uri === uri)?.version === version);
  }

  /** Settings changed for the body of one test only. */
  async function withSettings(change: Record<string, unknown>, body: () => Promise<void>): Promise<void> {
    const saved = settings;
    settings = { ...settings, ...change };
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    try {
      await body();
    } finally {
      settings = saved;
      await connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    }
  }

  it('publishes diagnostics with rule ids, docs links and exact ranges when a document opens', async () => {
    const uri = await openDocument('payments-open.yaml');
    const diagnostics = await diagnosticsFor(uri, (d) => d.length > 0);
    const runAsNonRoot = diagnostics.find((d) => d.code === 'run-as-non-root');
    assert.ok(runAsNonRoot, JSON.stringify(diagnostics.map((d) => d.code)));
    assert.equal(runAsNonRoot.source, 'fintech-k8s');
    assert.deepEqual(runAsNonRoot.range, { start: { line: 12, character: 10 }, end: { line: 12, character: 19 } });
    assert.match(runAsNonRoot.codeDescription!.href, /docs\/rules\/run-as-non-root\.md$/);
    assert.equal(runAsNonRoot.severity, 1);
  });

  it('honours the workspace .fintech-k8s.yaml', async () => {
    const uri = await openDocument('payments-config.yaml');
    const diagnostics = await diagnosticsFor(uri, (d) => d.length > 0);
    assert.ok(!diagnostics.some((d) => d.code === 'cpu-limits'));
  });

  it('offers the rule fix and a suppression, and the fix is a minimal edit', async () => {
    const uri = await openDocument('payments-fix.yaml');
    const diagnostics = await diagnosticsFor(uri, (d) => d.length > 0);
    const target = diagnostics.find((d) => d.code === 'run-as-non-root')!;
    const actions = (await connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: uri },
      range: target.range,
      context: { diagnostics: [target] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.title === 'Set runAsNonRoot: true');
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(fix.isPreferred, true);
    const edits = fix.edit!.changes![uri] as TextEdit[];
    assert.equal(edits.length, 1);
    assert.deepEqual(
      edits[0].range,
      { start: { line: 14, character: 0 }, end: { line: 14, character: 0 } },
      'inserted after the image line',
    );
    assert.match(edits[0].newText, /^\s+securityContext:\n\s+runAsNonRoot: true\n$/);
    const suppress = actions.find((a) => a.title.startsWith('Suppress run-as-non-root here'));
    assert.equal(suppress?.command?.command, 'fintechK8s.suppressWithReason');
    assert.deepEqual(suppress?.command?.arguments, [{ uri: uri, line: 12, ruleId: 'run-as-non-root' }]);
  });

  it('re-analyses as the document changes, and the applied fix clears its diagnostic', async () => {
    const uri = await openDocument('payments-change.yaml');
    await diagnosticsFor(uri, (d) => d.some((x) => x.code === 'run-as-non-root'));
    const fixed = MANIFEST.replace(
      '          image: registry.example.com/payments/api:1.4.2\n',
      '          image: registry.example.com/payments/api:1.4.2\n          securityContext:\n            runAsNonRoot: true\n',
    );
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uri, version: 2 },
      contentChanges: [{ text: fixed }],
    });
    const diagnostics = await diagnosticsFor(uri, (d) => !d.some((x) => x.code === 'run-as-non-root'));
    assert.ok(
      diagnostics.some((d) => d.code === 'read-only-root-filesystem'),
      'other findings remain',
    );
  });

  it('drops stale runs: a burst of edits ends with the diagnostics of the last text only', async () => {
    const uri = await openDocument('payments-burst.yaml');
    for (let version = 3; version < 13; version++) {
      const text =
        version % 2 ? MANIFEST : MANIFEST.replace('name: api # the card API', 'name: api\n          securityContext: {runAsNonRoot: true}');
      await connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: uri, version },
        contentChanges: [{ text }],
      });
    }
    const diagnostics = await diagnosticsOfVersion(uri, 12);
    assert.ok(!diagnostics.some((d) => d.code === 'run-as-non-root'), 'version 12 sets runAsNonRoot');
  });

  it('explains a finding on hover with its PCI DSS reference and docs link', async () => {
    const uri = await openDocument('payments-hover.yaml');
    await diagnosticsFor(uri, (d) => d.some((x) => x.code === 'run-as-non-root'));
    const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri }, position: { line: 12, character: 14 } });
    const markdown = (hover?.contents as MarkupContent).value;
    assert.match(markdown, /run-as-non-root/);
    assert.match(markdown, /PCI DSS v4\.0\*\* 7\.2\.5/);
    assert.match(markdown, /\(https:\/\/[^)]+run-as-non-root\.md\)/);
    const nothing = await connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri }, position: { line: 0, character: 2 } });
    assert.equal(nothing, null);
  });

  it('outlines one symbol per object', async () => {
    const uri = await openDocument('payments-outline.yaml');
    const symbols = (await connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: uri } })) as DocumentSymbol[];
    assert.deepEqual(
      symbols.map((s) => [s.name, s.range.start.line, s.selectionRange.start.line]),
      [
        ['Deployment/payments-api', 0, 3],
        ['Service/payments-api', 15, 18],
      ],
    );
  });

  it('pulls settings per document: a raised threshold hides warnings', async () => {
    const uri = await openDocument('payments-threshold.yaml');
    await diagnosticsFor(uri, (d) => d.some((x) => x.severity !== 1));
    await withSettings({ severityThreshold: 'error' }, async () => {
      const diagnostics = await diagnosticsFor(uri, (d) => d.length > 0 && d.every((x) => x.severity === 1));
      assert.ok(diagnostics.some((d) => d.code === 'run-as-non-root'));
    });
  });

  it('validates against the Kubernetes version the editor setting names', async () => {
    const file = pathToFileURL(join(workspace, 'scheduling.yaml')).href;
    const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: batch, namespace: payments}\nspec:\n  schedulingGroup: {podGroupName: batch}\n  containers:\n    - name: app\n      image: registry.example.com/app:1.0.0\n`;
    const schemaFindings = (d: Diagnostic[]) => d.filter((x) => x.code === 'schema-invalid');
    settings = { ...settings, kubernetesVersion: '1.34' };
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: file, languageId: 'yaml', version: 1, text },
    });
    const older = schemaFindings(await diagnosticsFor(file, (d) => schemaFindings(d).length > 0));
    assert.match(older[0].message as string, /Unknown field "schedulingGroup" in PodSpec/);
    assert.deepEqual(older[0].range, { start: { line: 4, character: 2 }, end: { line: 4, character: 17 } });
    // 1.37 added the field: the same document is now valid.
    settings = { ...settings, kubernetesVersion: '1.37' };
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await diagnosticsFor(file, (d) => d.length > 0 && schemaFindings(d).length === 0);
    settings = { ...settings, kubernetesVersion: '' };
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  });

  it('scans files from disk into diagnostics, counting unreadable ones', async () => {
    const good = join(workspace, 'pod.yaml');
    const broken = join(workspace, 'broken.yaml');
    writeFileSync(good, MANIFEST);
    writeFileSync(broken, 'apiVersion: v1\nkind: Pod\nmetadata: {name: [oops\n');
    const result = await connection.sendRequest(ScanFilesRequest.type, {
      uris: [pathToFileURL(good).href, pathToFileURL(broken).href, pathToFileURL(join(workspace, 'gone.yaml')).href],
    });
    assert.equal(result.files, 3);
    assert.equal(result.failedFiles, 2);
    assert.ok(result.findings > 0);
    const brokenDiagnostics = await diagnosticsFor(pathToFileURL(broken).href);
    assert.equal(brokenDiagnostics[0].code, 'yaml-syntax');
    assert.equal(brokenDiagnostics[0].range.start.line, 2, 'on the unclosed flow mapping');
  });

  it('analyses any text on request (the deploy gate), with the settings of its URI', async () => {
    const uri = pathToFileURL(join(workspace, 'payments-gate.yaml')).href;
    const result = await connection.sendRequest(AnalyzeRequest.type, { uri, text: MANIFEST });
    const runAsNonRoot = result.findings.find((f) => f.ruleId === 'run-as-non-root');
    assert.equal(runAsNonRoot?.object, 'Deployment/payments/payments-api');
    assert.equal(runAsNonRoot?.range.start.line, 12);
    assert.ok(!result.findings.some((f) => f.ruleId === 'cpu-limits'), 'the workspace file turns cpu-limits off');
    for (const other of ['untitled:Untitled-1', 'fintech-k8s-live:/test-admin/payments/Deployment/api.yaml']) {
      const live = await connection.sendRequest(AnalyzeRequest.type, { uri: other, text: MANIFEST });
      assert.ok(
        live.findings.some((f) => f.ruleId === 'run-as-non-root'),
        other,
      );
      assert.ok(!live.findings.some((f) => f.ruleId === 'cpu-limits'), `${other}: the workspace folder's file applies`);
    }
    const broken = await connection.sendRequest(AnalyzeRequest.type, { uri, text: 'a: [\n' });
    assert.equal(broken.problems[0].code, 'yaml-syntax');
  });

  it('sees objects of other files: a ServiceAccount defined elsewhere, at start-up and as files change', async () => {
    const ledger = pathToFileURL(join(workspace, 'ledger.yaml')).href;
    const automount = (d: Diagnostic[]) => d.some((x) => x.code === 'automount-service-account-token');
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: {
        uri: ledger,
        languageId: 'yaml',
        version: 1,
        text: workload('ledger', 'ledger') + '---\n' + workload('boot-user', 'boot'),
      },
    });
    // `boot` is defined (automount off) in a file that existed at start-up; `ledger` nowhere yet.
    let diagnostics = await diagnosticsFor(ledger, (d) => d.filter((x) => x.code === 'automount-service-account-token').length === 1);
    assert.equal(diagnostics.find((d) => d.code === 'automount-service-account-token')!.range.start.line, 7, 'only the ledger Deployment');

    const accounts = join(workspace, 'accounts.yaml');
    writeFileSync(accounts, serviceAccount('ledger'));
    await connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(accounts).href, type: FileChangeType.Created }],
    });
    await diagnosticsFor(ledger, (d) => !automount(d));

    rmSync(accounts);
    await connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(accounts).href, type: FileChangeType.Deleted }],
    });
    diagnostics = await diagnosticsFor(ledger, automount);
    assert.ok(diagnostics.length > 0);
  });

  it('links a finding to the object in another open file it depends on, and re-checks when that file changes', async () => {
    const serviceUri = pathToFileURL(join(workspace, 'chain-rpc.yaml')).href;
    const ingressUri = pathToFileURL(join(workspace, 'chain-ingress.yaml')).href;
    const service = (port: number) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: geth-rpc\n  namespace: chain\nspec:\n  selector: {app: geth}\n  ports:\n    - name: rpc\n      port: ${port}\n`;
    const ingress =
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: public\n  namespace: chain\nspec:\n  tls: [{hosts: [rpc.example.com], secretName: rpc-tls}]\n  rules:\n    - host: rpc.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: geth-rpc\n                port: {number: 8545}\n';
    const rpcFinding = (d: Diagnostic[]) => d.find((x) => x.code === 'rpc-port-exposed');
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: serviceUri, languageId: 'yaml', version: 1, text: service(8545) },
    });
    await diagnosticsFor(serviceUri);
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: ingressUri, languageId: 'yaml', version: 1, text: ingress },
    });
    let diagnostics = await diagnosticsFor(ingressUri, (d) => rpcFinding(d)?.relatedInformation !== undefined);
    const finding = rpcFinding(diagnostics)!;
    assert.equal(finding.range.start.line, 14, 'on the backend in the Ingress');
    // The Service's file is read back (here: the open document), so the link lands on the exact port, as in the CLI.
    assert.deepEqual(finding.relatedInformation, [
      {
        location: { uri: serviceUri, range: { start: { line: 8, character: 6 }, end: { line: 8, character: 15 } } },
        message: 'Service chain/geth-rpc exposes port 8545',
      },
    ]);

    const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri: ingressUri }, position: finding.range.start });
    const markdown = (hover?.contents as MarkupContent).value;
    assert.ok(markdown.includes(`Depends on Service chain/geth-rpc exposes port 8545 in [chain-rpc.yaml:9](${serviceUri}#L9)`), markdown);

    // Lines added above the Service move it: the link follows, although nothing the rules see changed.
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: serviceUri, version: 2 },
      contentChanges: [{ text: `# JSON-RPC of the node\n# (cluster-internal)\n${service(8545)}` }],
    });
    await diagnosticsFor(ingressUri, (d) => rpcFinding(d)?.relatedInformation?.[0].location.range.start.line === 10);

    // The Service stops exposing 8545: the Ingress's finding goes, without touching the Ingress.
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: serviceUri, version: 3 },
      contentChanges: [{ text: service(8080) }],
    });
    diagnostics = await diagnosticsFor(ingressUri, (d) => rpcFinding(d) === undefined);
    const dangling = diagnostics.find((d) => d.code === 'ingress-dangling-backend');
    assert.equal(dangling?.relatedInformation?.[0].message, 'Service chain/geth-rpc in chain-rpc.yaml declares port 8080 ("rpc")');
  });

  it('builds the compliance report of the workspace: PCI DSS sections, a strict CSP, the open documents as typed', async () => {
    const report = await connection.sendRequest(ComplianceReportRequest.type, {});
    assert.ok(report.files >= 2, `${report.files} files`);
    assert.ok(report.findings > 0);
    assert.match(report.html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/);
    assert.doesNotMatch(report.html, /<script/i);
    assert.match(report.html, /7\.2\.5/, 'the requirement of run-as-non-root');
    assert.match(report.markdown, /run-as-non-root/);
    assert.match(report.markdown, /ledger\.yaml/, 'the open document, relative to the workspace folder');
  });

  it('replaces the diagnostics of a document that cannot be analysed with one clear diagnostic', async () => {
    const deepUri = pathToFileURL(join(workspace, 'nested.yaml')).href;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: deepUri, languageId: 'yaml', version: 1, text: MANIFEST },
    });
    await diagnosticsFor(deepUri, (d) => d.some((x) => x.code === 'run-as-non-root'));
    // Compact nested sequences: once a stack overflow that left the previous findings up.
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: deepUri, version: 2 },
      contentChanges: [{ text: '- '.repeat(3000) + 'x\n  a: b\n' }],
    });
    const diagnostics = await diagnosticsFor(deepUri, () => published.filter((p) => p.uri === deepUri).at(-1)?.version === 2);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['too-complex'],
    );
    assert.match(String(diagnostics[0].message), /nested more than/);
  });

  // Last on purpose: it checks that whatever ran before left the server up.
  it('is still alive and answering after all of the above', async () => {
    const uri = await openDocument('payments-alive.yaml');
    const symbols = await connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    assert.ok(Array.isArray(symbols));
    assert.equal(server.exitCode, null);
  });
});
