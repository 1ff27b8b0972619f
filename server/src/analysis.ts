// Analysis as you type: an edit after a pause is analysed at once; only a burst of edits (typing) waits for
// a quiet moment, so typing costs no more runs than a plain debounce. The parse is cached per YAML
// document (an edit re-parses only the document it touched), and a run made stale by a newer edit is
// abandoned between documents.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText } from '../engine/engine';
import { ParseCache, splitDocuments, type ParsedSegment } from '../engine/parse';
import type { FileResult } from '../engine/types';
import { ContextFiles } from './context-files';
import { findingToDiagnostic, problemToDiagnostic } from './convert';
import type { RenderedSymbol, RootLinter, RootResults } from './root-lint';
import type { RenderRoot } from '../render';
import { mergeRootResults, rootNames } from '../engine/source-map/merge-roots';
import type { SettingsProvider } from './settings';
import type { WorkspaceIndex } from './workspace-index';

export interface Analysis {
  version: number | undefined;
  text: string;
  result: FileResult;
  /** A chart's template: the objects it renders, on its lines (its text alone is no YAML to outline). */
  symbols?: RenderedSymbol[];
}

/** Edits closer together than this are one burst (typing). */
const BURST_GAP_MS = 250;
/** How long a burst must pause before the document is analysed; also the delay of background re-checks. */
const DEBOUNCE_MS = 150;
/** Parse at most this long before yielding, so newer edits and requests get through. */
const SLICE_MS = 15;

export class DocumentAnalyzer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** When each open document last changed, to tell an edit after a pause from one in a burst. */
  private readonly lastEdit = new Map<string, number>();
  private readonly caches = new Map<string, ParseCache>();
  private readonly latest = new Map<string, Analysis>();
  /** Files analysed by "Scan Workspace": their diagnostics stay after their editor closes. */
  private readonly scanned = new Set<string>();
  private readonly contextFiles: ContextFiles;
  /** Per root folder: bumped by every change to one of its files, so a lint of an older state is not reused. */
  private readonly rootGenerations = new Map<string, number>();
  private readonly rootLints = new Map<string, { generation: number; results: Promise<RootResults | undefined> }>();
  /** Each root's latest findings by file URI, merged per file when several overlays build it. */
  private readonly rootResults = new Map<string, RootResults>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings: SettingsProvider,
    private readonly index: WorkspaceIndex,
    private readonly roots: RootLinter,
  ) {
    this.contextFiles = new ContextFiles(documents, index);
  }

  /** The document was opened or edited: analysed at once, unless it is in a burst of edits. */
  edited(document: TextDocument): void {
    const now = performance.now();
    const last = this.lastEdit.get(document.uri);
    this.lastEdit.set(document.uri, now);
    this.schedule(document, last !== undefined && now - last < BURST_GAP_MS ? DEBOUNCE_MS : 0);
  }

  /** Re-analyses the document after delayMs, replacing a run already planned. */
  schedule(document: TextDocument, delayMs = DEBOUNCE_MS): void {
    // An edited kustomization may include other files now: the overlays it belongs to are found again.
    this.roots.kustomizationEdited(document.uri);
    for (const root of this.roots.rootsOf(document.uri)) this.rootChanged(root.dir);
    clearTimeout(this.timers.get(document.uri));
    this.timers.set(
      document.uri,
      setTimeout(() => {
        this.timers.delete(document.uri);
        void this.analyzeOpen(document.uri).catch((error) =>
          this.connection.console.error(`Analysis of ${document.uri} failed: ${(error as Error).stack}`),
        );
      }, delayMs),
    );
  }

  /** Re-analyses every open document (after a settings change). */
  scheduleAll(): void {
    for (const document of this.documents.all()) this.schedule(document);
  }

  /** Re-analyses the open documents other than uri, whose findings may depend on it. */
  scheduleOthers(uri: string): void {
    for (const document of this.documents.all()) if (document.uri !== uri) this.schedule(document);
  }

  /** Re-analyses the open documents with a finding that links to an object of uri. */
  scheduleLinkingTo(uri: string): void {
    for (const document of this.documents.all()) {
      if (document.uri === uri) continue;
      const findings = this.latest.get(document.uri)?.result.findings ?? [];
      if (findings.some((f) => f.related?.some((r) => r.file === uri))) this.schedule(document);
    }
  }

  /** The analysis of the document as it is now; runs one when the stored one is older. */
  async current(uri: string): Promise<Analysis | undefined> {
    const document = this.documents.get(uri);
    const stored = this.latest.get(uri);
    if (document && stored?.version === document.version) return stored;
    if (document) return this.analyzeOpen(uri);
    return stored;
  }

  /** A file of a root changed (typed, saved, created): its next lint renders afresh. */
  rootChanged(dir: string): void {
    this.rootGenerations.set(dir, (this.rootGenerations.get(dir) ?? 0) + 1);
  }

  /** Parses through the document's cache, so the outline reuses what analysis parsed. */
  parserFor(uri: string): (text: string) => ParsedSegment {
    const cache = this.caches.get(uri) ?? new ParseCache();
    return (text) => cache.get(text);
  }

  async analyzeOpen(uri: string): Promise<Analysis | undefined> {
    const document = this.documents.get(uri);
    if (!document) return undefined;
    if (this.roots.rootOf(uri)) return this.analyzeInRoot(uri);
    const version = document.version;
    const text = document.getText();
    const isStale = () => this.documents.get(uri)?.version !== version;
    const cache = this.cacheFor(uri);
    if (!(await this.warm(cache, text, isStale))) return undefined;
    return this.finish(uri, version, text, cache, isStale);
  }

  /** Lints a file from disk (or its open editor); used by Scan Workspace. */
  async analyzeFile(uri: string): Promise<Analysis> {
    this.scanned.add(uri);
    if (this.roots.rootOf(uri)) {
      const analysis = await this.analyzeInRoot(uri);
      if (analysis) return analysis;
    }
    if (this.documents.get(uri)) {
      const analysis = await this.analyzeOpen(uri);
      if (analysis) return analysis;
    }
    const text = await readFile(fileURLToPath(uri), 'utf8');
    const analysis = await this.finish(uri, undefined, text, new ParseCache(), () => false);
    return analysis!;
  }

  /** An editor closed: keep diagnostics of scanned files (from disk), clear the others. */
  async closed(uri: string): Promise<void> {
    clearTimeout(this.timers.get(uri));
    this.lastEdit.delete(uri);
    this.caches.delete(uri);
    if (this.scanned.has(uri)) {
      await this.analyzeFile(uri).catch(() => this.clear(uri));
      return;
    }
    this.clear(uri);
  }

  /**
   * Lints the roots the file feeds (a chart, or each overlay that builds it: rendered with the unsaved
   * buffers of their open files) and publishes the findings on every file of each; one render serves every
   * file of a root until one of them changes.
   */
  private async analyzeInRoot(uri: string): Promise<Analysis | undefined> {
    const lints = await Promise.all(this.roots.rootsOf(uri).map((root) => this.lintRoot(root)));
    if (lints.some((byUri) => !byUri)) return undefined;
    const document = this.documents.get(uri);
    const result = this.resultOf(uri);
    const text = document?.getText() ?? (await readFile(fileURLToPath(uri), 'utf8').catch(() => ''));
    return { version: document?.version, text, result, symbols: this.symbolsOf(uri) };
  }

  /** What a chart's template renders, for its outline. */
  private symbolsOf(uri: string): RenderedSymbol[] | undefined {
    const [root] = this.roots.rootsOf(uri);
    return root ? this.rootResults.get(root.dir)?.get(uri)?.symbols : undefined;
  }

  private lintRoot(root: RenderRoot): Promise<RootResults | undefined> {
    const generation = this.rootGenerations.get(root.dir) ?? 0;
    let lint = this.rootLints.get(root.dir);
    if (!lint || lint.generation !== generation) {
      const results = this.roots.lint(root).then((byUri) => {
        if (byUri) {
          this.rootResults.set(root.dir, byUri);
          this.publishRoot(root, byUri);
        }
        return byUri;
      });
      this.rootLints.set(root.dir, (lint = { generation, results }));
    }
    return lint.results;
  }

  /** A file's findings over every root that builds it: once per line, naming the overlays when it is shared. */
  private resultOf(uri: string): FileResult {
    const roots = this.roots.rootsOf(uri);
    const names = rootNames(roots.map((root) => root.dir));
    const perRoot = roots.flatMap((root, i) => {
      const result = this.rootResults.get(root.dir)?.get(uri);
      return result ? [{ name: names[i], results: [result] }] : [];
    });
    return (
      mergeRootResults(perRoot, roots[0]?.kind === 'helm' ? 'chart' : 'overlay')[0] ?? {
        file: uri,
        findings: [],
        problems: [],
        objects: [],
      }
    );
  }

  private publishRoot(root: RenderRoot, byUri: RootResults): void {
    for (const uri of byUri.keys()) {
      // The other overlays that build this file: their findings belong on it too.
      for (const other of this.roots.rootsOf(uri)) if (other.dir !== root.dir && !this.rootLints.has(other.dir)) void this.lintRoot(other);
      const result = this.resultOf(uri);
      const document = this.documents.get(uri);
      const analysis = { version: document?.version, text: document?.getText() ?? '', result, symbols: this.symbolsOf(uri) };
      if (document) this.latest.set(uri, analysis);
      void this.connection.sendDiagnostics({ uri, version: document?.version, diagnostics: toDiagnostics(result) });
    }
  }

  private clear(uri: string): void {
    this.latest.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private async finish(
    uri: string,
    version: number | undefined,
    text: string,
    cache: ParseCache,
    isStale: () => boolean,
  ): Promise<Analysis | undefined> {
    const { enable, config } = await this.settings.forDocument(uri);
    if (isStale()) return undefined;
    let result: FileResult;
    try {
      result = enable
        ? analyzeText(uri, text, {
            config,
            parse: (segment) => cache.get(segment),
            context: this.index.contextIndexFor(uri),
            readContextFile: this.contextFiles.read,
          })
        : { file: uri, findings: [], problems: [], objects: [] };
    } catch (error) {
      // Still publish: the previous version's diagnostics must not stay up as if they were current.
      this.connection.console.error(`Analysis of ${uri} failed: ${(error as Error).stack ?? String(error)}`);
      result = failedAnalysis(uri, error);
    }
    const analysis = { version, text, result };
    this.latest.set(uri, analysis);
    // Published first: the editor waits for these; the index update below only schedules later work.
    void this.connection.sendDiagnostics({ uri, version, diagnostics: toDiagnostics(result) });
    try {
      // What this file defines may change findings elsewhere (a PDB, a ServiceAccount, a NetworkPolicy), and
      // where it defines them moves the links (related information) those findings show.
      const change = this.index.update(uri, text, (segment) => cache.get(segment));
      if (change === 'objects') this.scheduleOthers(uri);
      else if (change === 'positions') this.scheduleLinkingTo(uri);
    } catch (error) {
      this.connection.console.error(`Indexing ${uri} failed: ${(error as Error).stack ?? String(error)}`);
    }
    cache.sweep();
    return analysis;
  }

  /** Parses each YAML document into the cache, yielding now and then; false when a newer edit arrived. */
  private async warm(cache: ParseCache, text: string, isStale: () => boolean): Promise<boolean> {
    let sliceStart = Date.now();
    for (const segment of splitDocuments(text)) {
      try {
        cache.get(segment.text);
      } catch {
        return !isStale(); // The analysis meets the same failure and reports it.
      }
      if (Date.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        if (isStale()) return false;
        sliceStart = Date.now();
      }
    }
    return !isStale();
  }

  private cacheFor(uri: string): ParseCache {
    let cache = this.caches.get(uri);
    if (!cache) this.caches.set(uri, (cache = new ParseCache()));
    return cache;
  }
}

function toDiagnostics(result: FileResult): Diagnostic[] {
  return [...result.problems.map(problemToDiagnostic), ...result.findings.filter((f) => !f.suppressed).map(findingToDiagnostic)];
}

/** One diagnostic at the top of the document in place of findings the analysis could not produce. */
function failedAnalysis(uri: string, error: unknown): FileResult {
  const at = { line: 0, character: 0 };
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return {
    file: uri,
    findings: [],
    objects: [],
    problems: [
      {
        code: 'internal-error',
        severity: 'error',
        message: `Fintech K8s could not analyse this document (internal error: ${reason}); no findings are shown for it.`,
        file: uri,
        span: { start: 0, end: 0 },
        range: { start: at, end: at },
      },
    ],
  };
}
