// Editor latency over LSP stdio, measured the way an editor meets it: a language server started as a
// child process, a 200-Deployment file opened, then edits of one value each, timed from `didChange` to
// the `publishDiagnostics` of that version. Also a typing burst (keystrokes 40 ms apart): how many times
// the server published while it went on, and how long after the last key the diagnostics came.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export interface LspServerCommand {
  name: string;
  version: string;
  command: string;
  args: string[];
}

export interface LspLatency {
  /** didOpen → first diagnostics, one sample per fresh file. */
  open: number[];
  /** didChange → diagnostics of that version, edits an idle pause apart. */
  edit: number[];
  diagnostics: number;
  /** documentSymbol (the outline) of the unchanged file, request → answer. */
  outline: number[];
  burst: { keys: number; publishedDuring: number; afterLastKey: number };
}

const OPENS = 5;
const OUTLINES = 10;
const EDITS = 30;
/** A person changing one value, then looking: the next edit comes after a pause. */
const PAUSE_MS = 300;
const BURST_KEYS = 20;
const KEY_INTERVAL_MS = 40;
const TIMEOUT_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The character range of the value on the n-th line that starts with `key:` (after indentation). */
function valueRange(text: string, key: string, n: number) {
  const lines = text.split('\n');
  let seen = 0;
  for (let line = 0; line < lines.length; line++) {
    const match = new RegExp(`^(\\s*${key}:\\s*)(\\S+)`).exec(lines[line]);
    if (match && seen++ === n) return { start: { line, character: match[1].length }, end: { line, character: match[0].length } };
  }
  throw new Error(`no ${key} #${n}`);
}

export async function measureLsp(server: LspServerCommand, text: string): Promise<LspLatency> {
  const workspace = mkdtempSync(join(tmpdir(), 'fintech-k8s-bench-lsp-'));
  const child = spawn(server.command, server.args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const waiting = new Map<string, { version: number; resolve: (p: PublishDiagnosticsParams) => void }>();
  const publishes = new Map<string, number>();
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    publishes.set(params.uri, (publishes.get(params.uri) ?? 0) + 1);
    const waiter = waiting.get(params.uri);
    // Servers that send no version are taken at their first publication after the change.
    if (waiter && (params.version === undefined || params.version === waiter.version)) {
      waiting.delete(params.uri);
      waiter.resolve(params);
    }
  });
  // Plain defaults for every setting asked; no schema for YAML servers.
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();

  const published = (uri: string, version: number) =>
    new Promise<PublishDiagnosticsParams>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${server.name}: no diagnostics for version ${version}\n${stderr}`)), TIMEOUT_MS);
      waiting.set(uri, {
        version,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });

  try {
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).href,
      workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'bench' }],
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    await sleep(500); // start-up work (the workspace index) out of the way

    const open: number[] = [];
    let uri = '';
    let diagnostics = 0;
    for (let i = 0; i < OPENS; i++) {
      uri = pathToFileURL(join(workspace, `deployments-${i}.yaml`)).href;
      const started = performance.now();
      const done = published(uri, 1);
      await connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'yaml', version: 1, text },
      });
      diagnostics = (await done).diagnostics.length;
      open.push(performance.now() - started);
      await sleep(PAUSE_MS);
    }

    let version = 1;
    const change = async (n: number, value: string) => {
      version++;
      const range = valueRange(text, 'replicas', n);
      const started = performance.now();
      const done = published(uri, version);
      await connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ range, text: value }],
      });
      return { done, started };
    };

    const edit: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      // Each edit puts a replicas count back to one digit, so every range stays valid for the next.
      const { done, started } = await change(i % 200, String(1 + (i % 9)));
      await done;
      edit.push(performance.now() - started);
      await sleep(PAUSE_MS);
    }

    const outline: number[] = [];
    for (let i = 0; i < OUTLINES; i++) {
      const started = performance.now();
      await connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
      outline.push(performance.now() - started);
    }

    const before = publishes.get(uri) ?? 0;
    let last: { done: Promise<PublishDiagnosticsParams>; started: number } | undefined;
    for (let key = 0; key < BURST_KEYS; key++) {
      last = await change(0, String(1 + (key % 9)));
      void last.done.catch(() => undefined); // only the last key's diagnostics are awaited
      if (key < BURST_KEYS - 1) await sleep(KEY_INTERVAL_MS);
    }
    const publishedDuring = (publishes.get(uri) ?? 0) - before;
    await last!.done;
    const afterLastKey = performance.now() - last!.started;
    return { open, edit, diagnostics, outline, burst: { keys: BURST_KEYS, publishedDuring, afterLastKey } };
  } finally {
    // A polite end first (shutdown, exit), so a profiled server writes its profile; then make sure.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await Promise.race([
      connection
        .sendRequest('shutdown')
        .then(() => connection.sendNotification('exit'))
        .catch(() => undefined),
      sleep(2_000),
    ]);
    await Promise.race([exited, sleep(2_000)]);
    connection.dispose();
    child.kill();
    rmSync(workspace, { recursive: true, force: true });
  }
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function formatLatency(server: LspServerCommand, latency: LspLatency): string {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  return (
    `${`${server.name} ${server.version}`.padEnd(28)} edit → diagnostics p50 ${ms(percentile(latency.edit, 50))}, p95 ${ms(percentile(latency.edit, 95))}; ` +
    `open p50 ${ms(percentile(latency.open, 50))}; outline p50 ${ms(percentile(latency.outline, 50))}; ` +
    `${latency.diagnostics} diagnostics; typing ${latency.burst.keys} keys: ` +
    `${latency.burst.publishedDuring} publications, last key → diagnostics ${ms(latency.burst.afterLastKey)}`
  );
}
