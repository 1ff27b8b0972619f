// The language server: wires LSP requests to the analyzer and the feature handlers. No language logic here.
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAME } from '../engine/config';
import {
  AnalyzeRequest,
  ComplianceReportRequest,
  LocateRenderedRequest,
  RenderRootRequest,
  ScanFilesRequest,
  SETTINGS_SECTION,
  WorkspaceTrustedNotification,
  type InitializationOptions,
} from '../protocol';
import { DocumentAnalyzer } from './analysis';
import { analyze } from './handlers/analyze';
import { codeActions } from './handlers/code-actions';
import { hover } from './handlers/hover';
import { RenderRootHandler } from './handlers/render-root';
import { complianceReport } from './handlers/report';
import { scanFiles } from './handlers/scan';
import { documentSymbols } from './handlers/symbols';
import { deployRenderer } from './render-for-deploy';
import { RootLinter } from './root-lint';
import { SettingsProvider, type ConfigFileState } from './settings';
import { WorkspaceIndex } from './workspace-index';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let settings: SettingsProvider;
let analyzer: DocumentAnalyzer;
let roots: RootLinter;
let renderRoots: RenderRootHandler;
let workspaceTrusted = false;
const index = new WorkspaceIndex();
let workspaceFolders: string[] = [];
let canRegisterWatchers = false;
let canRegisterConfiguration = false;

connection.onInitialize((params) => {
  const capabilities = params.capabilities;
  const folders = (params.workspaceFolders ?? []).filter((f) => f.uri.startsWith('file:')).map((f) => fileURLToPath(f.uri));
  canRegisterWatchers = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  canRegisterConfiguration = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  settings = new SettingsProvider(connection, folders, capabilities.workspace?.configuration === true, showConfigFileErrors);
  // helm and kustomize run only when the client says the workspace is trusted (an old client says nothing).
  const trusted = (params.initializationOptions as Partial<InitializationOptions> | undefined)?.workspaceTrusted === true;
  workspaceTrusted = trusted;
  roots = new RootLinter(documents, settings, index, trusted, folders);
  analyzer = new DocumentAnalyzer(connection, documents, settings, index, roots);
  renderRoots = new RenderRootHandler(
    settings,
    deployRenderer(settings, () => workspaceTrusted),
  );
  workspaceFolders = folders;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      hoverProvider: true,
      documentSymbolProvider: true,
    },
    serverInfo: { name: 'fintech-k8s' },
  };
});

connection.onInitialized(() => {
  // Without this registration the client never says that fintechK8s.* changed, and open documents keep
  // the findings of the old settings.
  if (canRegisterConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
  if (canRegisterWatchers) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: `**/${CONFIG_FILE_NAME}` }, { globPattern: '**/*.{yaml,yml}' }],
    });
  }
  // Cross-file rules see the whole workspace: read it once, then re-check what is open.
  void index.build(workspaceFolders).then(() => {
    if (index.truncated) connection.console.warn(`Fintech K8s: ${index.truncated}.`);
    analyzer.scheduleAll();
    void indexRenderedRoots();
  });
});

/** Cross-file rules see what each chart renders: render them once, one at a time, when trusted. */
async function indexRenderedRoots(): Promise<void> {
  let changed = false;
  // Overlays add nothing to the index (each is checked on its own), so only charts are rendered here.
  for (const root of index.roots.values()) {
    if (root.kind !== 'helm') continue;
    const results = await roots.lint(root).catch(() => undefined);
    changed ||= results !== undefined;
  }
  if (changed) analyzer.scheduleAll();
}

connection.onNotification(WorkspaceTrustedNotification.type, () => {
  roots.trust();
  workspaceTrusted = true;
  analyzer.scheduleAll();
  void indexRenderedRoots();
});

function showConfigFileErrors(state: ConfigFileState): void {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  void connection.sendDiagnostics({
    uri: state.uri,
    diagnostics: state.error ? [{ range, severity: 1, source: 'fintech-k8s', code: 'config-invalid', message: state.error }] : [],
  });
}

connection.onDidChangeConfiguration(() => {
  settings.settingsChanged();
  analyzer.scheduleAll();
});

connection.onDidChangeWatchedFiles(async (params) => {
  let changed = false;
  for (const change of params.changes) {
    if (change.uri.endsWith(`/${CONFIG_FILE_NAME}`)) {
      settings.configFileChanged();
      changed = true;
    } else if (change.uri.startsWith('file:') && (roots.rootOf(change.uri) || roots.kustomizationEdited(change.uri))) {
      // A chart's or an overlay's file changed on disk: its next lint renders afresh (open files re-lint below).
      if (change.type !== FileChangeType.Changed || roots.kustomizationEdited(change.uri)) roots.forgetRoots();
      for (const root of roots.rootsOf(change.uri)) analyzer.rootChanged(root.dir);
      changed = true;
    } else if (!documents.get(change.uri) && change.uri.startsWith('file:')) {
      // Open documents are indexed as typed; files on disk as saved.
      const updated =
        change.type === FileChangeType.Deleted
          ? index.remove(change.uri)
          : await index.updateFromDisk(change.uri, fileURLToPath(change.uri));
      changed ||= updated;
    }
  }
  if (changed) analyzer.scheduleAll();
});

documents.onDidChangeContent((event) => analyzer.edited(event.document));
documents.onDidClose((event) => void analyzer.closed(event.document.uri));

connection.onCodeAction((params) => codeActions(analyzer, params));
connection.onHover((params) => hover(analyzer, params));
connection.onDocumentSymbol((params) => documentSymbols(analyzer, params));
connection.onRequest(ScanFilesRequest.type, (params) => scanFiles(analyzer, params));
connection.onRequest(AnalyzeRequest.type, (params) => analyze(settings, index, params));
connection.onRequest(RenderRootRequest.type, (params) => renderRoots.render(params));
connection.onRequest(LocateRenderedRequest.type, (params) => renderRoots.locate(params));
connection.onRequest(ComplianceReportRequest.type, (params) =>
  complianceReport(settings, index, documents, workspaceFolders, params, (root) => roots.lint(root)),
);

// A bug in one request must not take the server (and every open editor's diagnostics) down.
process.on('uncaughtException', (error) => connection.console.error(`Unexpected error: ${error.stack ?? error}`));
process.on('unhandledRejection', (error) => connection.console.error(`Unexpected rejection: ${(error as Error)?.stack ?? error}`));

documents.listen(connection);
connection.listen();
