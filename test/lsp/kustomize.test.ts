// Overlays in the editor, through the built language server over stdio with the real kustomize: opening a
// patch shows what the overlays build, on the patch, base and kustomization lines (a shared base names the
// overlays); the quick fix edits the patch; unsaved edits to a patch or a kustomization are built; without
// kustomize or trust nothing runs and the partial files get no false finding.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  type CodeAction,
  type Diagnostic,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { ensureRenderers } from '../tools/renderers.mjs';
import { diagnosticsFor, startServer, stop, type Session } from './support/render-session';

const ROOT = resolve(__dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'kustomize', 'ledger');

function startServerWith(trusted: boolean, kustomize: string): Promise<Session> {
  return startServer({ trusted, fixture: FIXTURE, name: 'ledger', settings: { kustomize: { path: kustomize } } });
}

const messageOf = (diagnostic: Diagnostic) => (typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value);
const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.range.start.line + 1} ${String(d.code)}`).sort();

async function open(session: Session, file: string, text = readFileSync(join(FIXTURE, file), 'utf8')): Promise<string> {
  const uri = pathToFileURL(join(session.workspace, 'ledger', file)).href;
  await session.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'yaml', version: 1, text },
  });
  return uri;
}

describe('overlays in the language server', () => {
  let kustomize: string;
  let session: Session;
  before(async () => {
    kustomize = ensureRenderers().kustomize;
    session = await startServerWith(true, kustomize);
  });
  after(() => stop(session));

  const uriOf = (file: string) => pathToFileURL(join(session.workspace, 'ledger', file)).href;

  it('a patch shows what its overlay builds on its own line, and nothing a patch alone would get', async () => {
    const patch = await open(session, 'overlays/prod/limits.yaml');
    const diagnostics = await diagnosticsFor(session, patch, (d) => d.length > 0);
    assert.deepEqual(codes(diagnostics), ['14 privileged-container']);
  });

  it('the base shared by both overlays gets the findings of each, once, naming the overlays', async () => {
    const base = await diagnosticsFor(session, uriOf('base/deployment.yaml'), (d) => d.some((x) => x.code === 'pod-not-isolated'));
    assert.deepEqual(codes(base), ['49 capabilities-add', '49 dangerous-capabilities', '9 pod-not-isolated']);
    assert.match(messageOf(base.find((d) => d.code === 'capabilities-add')!), /\(in overlays dev, prod\)$/);
    assert.match(messageOf(base.find((d) => d.code === 'pod-not-isolated')!), /\(in overlay dev\)$/);
  });

  it('the quick fix edits the patch', async () => {
    const patch = uriOf('overlays/prod/limits.yaml');
    const [target] = await diagnosticsFor(session, patch, (d) => d.some((x) => x.code === 'privileged-container'));
    const actions = (await session.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: patch },
      range: target.range,
      context: { diagnostics: [target] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    const [edit] = fix.edit!.changes![patch] as TextEdit[];
    const line = readFileSync(join(FIXTURE, 'overlays', 'prod', 'limits.yaml'), 'utf8').split('\n')[13];
    assert.equal(edit.range.start.line, 13);
    assert.match(line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character), /^\s+privileged: false/);
  });

  it('an unsaved edit of the patch is built: the finding goes, the rest of the overlay stays, the file on disk is untouched', async () => {
    const patch = uriOf('overlays/prod/limits.yaml');
    const text = readFileSync(join(FIXTURE, 'overlays', 'prod', 'limits.yaml'), 'utf8').replace('privileged: true', 'privileged: false');
    await session.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: patch, version: 2 },
      contentChanges: [{ text }],
    });
    await diagnosticsFor(session, patch, (d) => d.length === 0);
    const kustomization = await diagnosticsFor(session, uriOf('overlays/prod/kustomization.yaml'), (d) => d.length > 0);
    assert.ok(codes(kustomization).includes('9 image-digest'));
    assert.match(readFileSync(join(session.workspace, 'ledger', 'overlays', 'prod', 'limits.yaml'), 'utf8'), /privileged: true/);
  });

  it("an unsaved edit of a kustomization's newTag is built", async () => {
    const dev = await open(session, 'overlays/dev/kustomization.yaml');
    await diagnosticsFor(session, dev, (d) => d.some((x) => x.code === 'image-tag-latest' && x.range.start.line === 10));
    const text = readFileSync(join(FIXTURE, 'overlays', 'dev', 'kustomization.yaml'), 'utf8').replace('newTag: latest', 'newTag: 2.5.0');
    await session.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: dev, version: 2 },
      contentChanges: [{ text }],
    });
    const after = await diagnosticsFor(session, dev, (d) => !d.some((x) => x.code === 'image-tag-latest') && d.length > 0);
    assert.ok(codes(after).includes('11 image-digest'), codes(after).join(', '));
  });
});

describe('overlays in the language server without kustomize or trust', () => {
  let session: Session | undefined;
  after(() => stop(session));

  for (const [name, trusted, path] of [
    ['no kustomize', true, join(tmpdir(), 'no-such-kustomize')],
    ['an untrusted workspace', false, undefined],
  ] as const) {
    it(`${name}: one note on the overlay's kustomization, and no finding on its patch`, async () => {
      stop(session);
      session = await startServerWith(trusted, path ?? ensureRenderers().kustomize);
      const patch = await open(session, 'overlays/prod/limits.yaml');
      const kustomization = pathToFileURL(join(session.workspace, 'ledger', 'overlays', 'prod', 'kustomization.yaml')).href;
      const notes = await diagnosticsFor(session, kustomization, (d) => d.length > 0);
      assert.equal(notes.length, 1, JSON.stringify(notes));
      assert.equal(notes[0].severity, 3, 'information');
      assert.match(messageOf(notes[0]), trusted ? /kustomize was not found/ : /not trusted/);
      const onPatch = await diagnosticsFor(session, patch, () => true);
      assert.deepEqual(onPatch, []);
    });
  }
});
