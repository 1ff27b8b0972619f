// The built language server (dist/server.js) over stdio on a temporary workspace holding a copy of a chart or
// an overlay fixture, as the render tests (helm, kustomize) start it: trusted or not, with their settings.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

const SERVER = resolve(__dirname, '..', '..', '..', 'dist', 'server.js');

export interface Session {
  connection: ProtocolConnection;
  server: ChildProcess;
  published: PublishDiagnosticsParams[];
  workspace: string;
  stderr: () => string;
}

/** `fixture` is copied to `<workspace>/<name>`; `settings` go over the base fintechK8s settings. */
export async function startServer(options: {
  trusted: boolean;
  fixture: string;
  name: string;
  settings: Record<string, unknown>;
}): Promise<Session> {
  const workspace = mkdtempSync(join(tmpdir(), 'fintech-k8s-render-lsp-'));
  cpSync(options.fixture, join(workspace, options.name), { recursive: true });
  const server = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  server.stderr!.on('data', (chunk) => (stderr += chunk));
  const connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  connection.onNotification(PublishDiagnosticsNotification.method, (params: PublishDiagnosticsParams) => {
    published.push(params);
  });
  const settings = { enable: true, severityThreshold: 'info', trustedRegistries: [], pciNamespaces: [], ...options.settings };
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => settings));
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(workspace).href,
    workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'ws' }],
    capabilities: { workspace: { configuration: true } },
    initializationOptions: { workspaceTrusted: options.trusted },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return { connection, server, published, workspace, stderr: () => stderr };
}

/** Resolves with the latest diagnostics published for uri once they satisfy the predicate. */
export function diagnosticsFor(
  session: Session,
  uri: string,
  predicate: (d: Diagnostic[]) => boolean,
  timeoutMs = 30_000,
): Promise<Diagnostic[]> {
  return new Promise((resolvePromise, reject) => {
    const started = Date.now();
    const poll = () => {
      const match = [...session.published].reverse().find((p) => p.uri === uri);
      if (match && predicate(match.diagnostics)) return resolvePromise(match.diagnostics);
      if (Date.now() - started > timeoutMs)
        return reject(new Error(`no matching diagnostics for ${uri}; last: ${JSON.stringify(match?.diagnostics)}\n${session.stderr()}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

export function stop(session: Session | undefined): void {
  session?.connection.dispose();
  session?.server.kill();
  if (session) rmSync(session.workspace, { recursive: true, force: true });
}
