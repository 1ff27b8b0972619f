// Charts in the editor, through the built language server over stdio with the real helm: editing a values
// file (unsaved) re-renders the chart and shows the findings on the values line, the quick fix edits the
// values file, and an untrusted workspace never runs helm.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  type CodeAction,
  type DocumentSymbol,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { ComplianceReportRequest } from '../../server/protocol';
import { ensureRenderers } from '../tools/renderers.mjs';
import { diagnosticsFor, startServer, stop, type Session } from './support/render-session';

const ROOT = resolve(__dirname, '..', '..');
const CHART = join(ROOT, 'test', 'fixtures', 'helm', 'ledger');

function startServerWith(trusted: boolean, helm: string): Promise<Session> {
  return startServer({ trusted, fixture: CHART, name: 'ledger', settings: { helm: { path: helm } } });
}

describe('charts in the language server', () => {
  let helm: string;
  let session: Session;
  before(async () => {
    helm = ensureRenderers().helm;
    session = await startServerWith(true, helm);
  });
  after(() => stop(session));

  const valuesUri = () => pathToFileURL(join(session.workspace, 'ledger', 'values.yaml')).href;
  const templateUri = () => pathToFileURL(join(session.workspace, 'ledger', 'templates', 'deployment.yaml')).href;

  it('opening a values file shows the chart findings on its lines, and on the template lines too', async () => {
    const text = readFileSync(join(CHART, 'values.yaml'), 'utf8');
    await session.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: valuesUri(), languageId: 'yaml', version: 1, text },
    });
    const diagnostics = await diagnosticsFor(session, valuesUri(), (d) => d.some((x) => x.code === 'privileged-container'));
    const privileged = diagnostics.find((d) => d.code === 'privileged-container')!;
    assert.equal(privileged.range.start.line, 21, 'privileged: true in values.yaml');
    assert.equal(privileged.relatedInformation?.[0]?.location.uri, templateUri());
    assert.equal(privileged.relatedInformation?.[0]?.location.range.start.line, 28, 'the toYaml line of the template');
    const onTemplate = await diagnosticsFor(session, templateUri(), (d) => d.some((x) => x.code === 'liveness-probe'));
    assert.equal(onTemplate.find((d) => d.code === 'liveness-probe')!.range.start.line, 26, 'the container line');
  });

  it('the outline of a template lists the objects it renders, on its kind line', async () => {
    const text = readFileSync(join(CHART, 'templates', 'deployment.yaml'), 'utf8');
    await session.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: templateUri(), languageId: 'yaml', version: 1, text },
    });
    const symbols = (await session.connection.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri: templateUri() },
    })) as DocumentSymbol[];
    assert.deepEqual(
      symbols.map((symbol) => [symbol.name, symbol.range.start.line]),
      [['Deployment/release-name-ledger', 1]],
    );
  });

  it('the compliance report holds the chart findings on its values and template lines', async () => {
    const report = await session.connection.sendRequest(ComplianceReportRequest.type, {});
    assert.match(report.markdown, /ledger\/values\.yaml/);
    assert.match(report.markdown, /privileged-container/);
    assert.doesNotMatch(report.markdown, /fintech-k8s-rendered|yaml-syntax/);
  });

  it('the quick fix edits the values file', async () => {
    const diagnostics = await diagnosticsFor(session, valuesUri(), (d) => d.some((x) => x.code === 'privileged-container'));
    const target = diagnostics.find((d) => d.code === 'privileged-container')!;
    const actions = (await session.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: valuesUri() },
      range: target.range,
      context: { diagnostics: [target] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    const edits = fix.edit!.changes![valuesUri()] as TextEdit[];
    assert.equal(edits.length, 1);
    const { start, end } = edits[0].range;
    assert.equal(start.line, 21);
    assert.equal(end.line, 21);
    const line = readFileSync(join(CHART, 'values.yaml'), 'utf8').split('\n')[21];
    assert.equal(line.slice(0, start.character) + edits[0].newText + line.slice(end.character), '  privileged: false');
  });

  it('an unsaved edit of the values file re-renders the chart: the finding goes, the file on disk is untouched', async () => {
    const text = readFileSync(join(CHART, 'values.yaml'), 'utf8').replace('privileged: true', 'privileged: false');
    await session.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: valuesUri(), version: 2 },
      contentChanges: [{ text }],
    });
    await diagnosticsFor(session, valuesUri(), (d) => !d.some((x) => x.code === 'privileged-container') && d.length > 0);
    assert.match(readFileSync(join(session.workspace, 'ledger', 'values.yaml'), 'utf8'), /privileged: true/);
  });

  it('a template error of helm is one diagnostic on the line helm names', async () => {
    const text = readFileSync(join(CHART, 'templates', 'service.yaml'), 'utf8').replace(
      'type: {{ .Values.service.type }}',
      'type: {{ .Values.service.missing.type }}',
    );
    const uri = pathToFileURL(join(session.workspace, 'ledger', 'templates', 'service.yaml')).href;
    await session.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    const diagnostics = await diagnosticsFor(session, uri, (d) => d.some((x) => x.code === 'render-failed'));
    const error = diagnostics.find((d) => d.code === 'render-failed')!;
    assert.equal(error.range.start.line, 8);
    assert.equal(error.severity, 1);
    assert.match(String(error.message), /nil pointer evaluating interface \{\}\.type/);
  });
});

describe('charts in an untrusted workspace', () => {
  let session: Session | undefined;
  after(() => stop(session));

  it('never runs helm: one note on Chart.yaml says how to get findings', async () => {
    session = await startServerWith(false, ensureRenderers().helm);
    const valuesUri = pathToFileURL(join(session.workspace, 'ledger', 'values.yaml')).href;
    await session.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: valuesUri, languageId: 'yaml', version: 1, text: readFileSync(join(CHART, 'values.yaml'), 'utf8') },
    });
    const chartUri = pathToFileURL(join(session.workspace, 'ledger', 'Chart.yaml')).href;
    const notes = await diagnosticsFor(session, chartUri, (d) => d.length > 0);
    assert.deepEqual(
      notes.map((d) => d.code),
      ['render-unavailable'],
    );
    assert.match(String(notes[0].message), /not trusted/);
    const onValues = await diagnosticsFor(session, valuesUri, () => true);
    assert.deepEqual(onValues, []);
  });
});
