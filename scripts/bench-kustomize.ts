// The overlay figures of `npm run bench`: what the editor waits for after an edit to a patch of a 20-object
// overlay (an unsaved buffer): the private copy, `kustomize build` with build metadata, the analysis of the
// built objects, and the map back to the base, patch and kustomization lines; then the same through the
// built language server over stdio, from the keystroke to the diagnostics.
// Uses the pinned kustomize.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { analyze } from '../server/engine/engine';
import { renderKustomize } from '../server/render/kustomize/build';
import { rootAt } from '../server/render/kustomize/discover';
import { ensureRenderers } from '../test/tools/renderers.mjs';

const WORK = resolve(__dirname, '..', '.bench', 'overlay');
const SERVICES = 10; // a Deployment and a Service each: 20 objects

function write(file: string, text: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

function writeOverlay(): { overlay: string; patch: string; patchText: string } {
  rmSync(WORK, { recursive: true, force: true });
  const resources: string[] = [];
  for (let i = 0; i < SERVICES; i++) {
    const name = `svc-${i}`;
    resources.push(`${name}.yaml`);
    write(
      join(WORK, 'base', `${name}.yaml`),
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      securityContext:\n        runAsNonRoot: true\n        seccompProfile: {type: RuntimeDefault}\n      containers:\n        - name: app\n          image: registry.bank.example/payments/${name}:1.0.${i}\n          ports: [{containerPort: 8080}]\n          securityContext:\n            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true\n            capabilities: {drop: [ALL]}\n          resources:\n            requests: {cpu: 100m, memory: 128Mi}\n            limits: {cpu: 500m, memory: 256Mi}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80, targetPort: 8080}]\n`,
    );
  }
  write(join(WORK, 'base', 'kustomization.yaml'), `resources:\n${resources.map((r) => `  - ${r}`).join('\n')}\n`);
  const overlay = join(WORK, 'overlays', 'prod');
  write(
    join(overlay, 'kustomization.yaml'),
    `namespace: payments\nnamePrefix: prod-\nresources:\n  - ../../base\nimages:\n  - name: registry.bank.example/payments/svc-0\n    newTag: latest\npatches:\n  - path: patch.yaml\n`,
  );
  const patch = join(overlay, 'patch.yaml');
  const patchText = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-1\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          securityContext:\n            privileged: true\n`;
  write(patch, patchText);
  return { overlay, patch, patchText };
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const { kustomize } = ensureRenderers();
  const { overlay, patch, patchText } = writeOverlay();
  const root = rootAt(overlay)!;
  const samples: number[] = [];
  let findings = 0;
  let objects = 0;
  for (let i = 0; i < 33; i++) {
    // An edit as you type: a new memory limit each time, unsaved.
    const unsaved = new Map([[patch, `${patchText}          resources:\n            limits: {memory: ${256 + i}Mi}\n`]]);
    const started = process.hrtime.bigint();
    const rendered = await renderKustomize({ root, program: kustomize, unsaved, kubernetesVersion: '1.34' });
    const results = rendered.toSources(analyze(rendered.files));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (i >= 3) samples.push(ms); // the first runs warm the JIT and the schema bundle
    findings = results.reduce((n, r) => n + r.findings.length, 0);
    objects = rendered.files.length;
  }
  console.log(
    `Overlay (${objects} objects), edit of an unsaved patch -> build + analysis + source map: p50 ${percentile(samples, 50).toFixed(0)} ms, p95 ${percentile(samples, 95).toFixed(0)} ms, ${findings} findings   [target < 500 ms p50]`,
  );
  await editorFigure(kustomize, patch, patchText);
  rmSync(WORK, { recursive: true, force: true });
}

/** Keystroke → diagnostics through dist/server.js: each edit turns the patch's privileged finding on or off. */
async function editorFigure(kustomize: string, patch: string, patchText: string): Promise<void> {
  const server = spawn(process.execPath, [resolve(__dirname, '..', 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  const uri = pathToFileURL(patch).href;
  let waiting: { privileged: boolean; done: () => void } | undefined;
  connection.onNotification(PublishDiagnosticsNotification.method, (params: PublishDiagnosticsParams) => {
    if (params.uri !== uri || !waiting) return;
    if (params.diagnostics.some((d) => d.code === 'privileged-container') === waiting.privileged) waiting.done();
  });
  const settings = { enable: true, severityThreshold: 'info', trustedRegistries: [], pciNamespaces: [], kustomize: { path: kustomize } };
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => settings));
  connection.listen();
  const folder = pathToFileURL(WORK).href;
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: folder,
    workspaceFolders: [{ uri: folder, name: 'bench' }],
    capabilities: { workspace: { configuration: true } },
    initializationOptions: { workspaceTrusted: true },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const until = (privileged: boolean, send: () => Promise<void>): Promise<number> =>
    new Promise((done, fail) => {
      const started = process.hrtime.bigint();
      const timer = setTimeout(() => fail(new Error(`no diagnostics with privileged=${privileged} within 30 s`)), 30_000);
      waiting = {
        privileged,
        done: () => {
          clearTimeout(timer);
          waiting = undefined;
          done(Number(process.hrtime.bigint() - started) / 1e6);
        },
      };
      void send();
    });
  await until(true, () =>
    connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'yaml', version: 1, text: patchText },
    }),
  );
  const samples: number[] = [];
  for (let version = 2; version < 25; version++) {
    const privileged = version % 2 === 1;
    const text = patchText.replace('privileged: true', `privileged: ${privileged}`);
    const ms = await until(privileged, () =>
      connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] }),
    );
    if (version >= 4) samples.push(ms);
  }
  console.log(
    `Overlay in the editor (language server over stdio), keystroke -> diagnostics: p50 ${percentile(samples, 50).toFixed(0)} ms, p95 ${percentile(samples, 95).toFixed(0)} ms   [target < 1000 ms]`,
  );
  connection.dispose();
  server.kill();
}

main().catch((error: Error) => {
  console.error(`bench-kustomize: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
