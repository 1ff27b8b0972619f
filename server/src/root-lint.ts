// Charts (and other render roots) in the editor: a template or values file is linted as part of its root,
// rendered with the unsaved buffers of the root's open files, and the findings go to every source file of
// the root. A newer edit cancels the render in flight. Nothing runs in an untrusted workspace.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, prepareFile } from '../engine/engine';
import { DEFAULT_CONFIG } from '../engine/config';
import type { FileResult, K8sObject, ObjectRef, Problem, Range } from '../engine/types';
import { isKustomizationFile } from '../engine/source-map/kustomization';
import { helmOptionsFromConfig, programFor, renderRoot, resultsOnSources, rootOfFile, type RenderedRoot, type RenderRoot } from '../render';
import { sourceReader } from '../render/kustomize/discover';
import { KustomizeWorkspace } from '../render/kustomize/workspace';
import type { SettingsProvider } from './settings';
import type { WorkspaceIndex } from './workspace-index';

/** An object a chart renders, on the template line that writes it (the outline of a template). */
export interface RenderedSymbol extends ObjectRef {
  range: Range;
}

/** A root's findings by file URI, and the objects each template renders. */
export type RootResults = Map<string, FileResult & { symbols?: RenderedSymbol[] }>;

export class RootLinter {
  private readonly inFlight = new Map<string, AbortController>();
  /** Roots by file path, so each keystroke does not walk the folders above the file again. */
  private readonly roots = new Map<string, RenderRoot[]>();
  /** The workspace's overlays: a base belongs to every overlay that builds it. */
  private readonly kustomize: KustomizeWorkspace;
  private trusted: boolean;

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings: SettingsProvider,
    private readonly index: WorkspaceIndex,
    trusted: boolean,
    folders: readonly string[] = [],
  ) {
    this.trusted = trusted;
    const disk = sourceReader();
    // An unsaved kustomization decides what its overlay includes.
    this.kustomize = new KustomizeWorkspace(folders, (file) => this.documents.get(pathToFileURL(file).href)?.getText() ?? disk(file));
  }

  trust(): void {
    this.trusted = true;
  }

  /** The root a file URI feeds, if any (a chart's template, values file or Chart.yaml; an overlay's file). */
  rootOf(uri: string): RenderRoot | undefined {
    return this.rootsOf(uri)[0];
  }

  /** Every root a file URI feeds: its chart, or each overlay whose build reads it (a shared base: several). */
  rootsOf(uri: string): readonly RenderRoot[] {
    if (!uri.startsWith('file:')) return [];
    const path = fileURLToPath(uri);
    let roots = this.roots.get(path);
    if (roots === undefined) {
      const own = rootOfFile(path);
      const overlays = this.kustomize.rootsIncluding(path);
      // A kustomization file alone looks like a root of its own; the workspace knows whether overlays include it.
      roots = own?.kind === 'helm' ? [own] : overlays.length > 0 ? [...overlays] : own ? [own] : [];
      this.roots.set(path, roots);
    }
    return roots;
  }

  /** Files were added, removed or renamed: roots and their inputs are found afresh. */
  forgetRoots(): void {
    this.roots.clear();
    this.kustomize.invalidate({ rescan: true });
  }

  /** A kustomization was edited: what belongs to which overlay may have changed. */
  kustomizationEdited(uri: string): boolean {
    if (!uri.startsWith('file:') || !isKustomizationFile(fileURLToPath(uri))) return false;
    this.roots.clear();
    this.kustomize.invalidate();
    return true;
  }

  /** Renders and lints the root; undefined when a newer render of it started meanwhile. */
  async lint(root: RenderRoot): Promise<RootResults | undefined> {
    this.inFlight.get(root.dir)?.abort();
    const controller = new AbortController();
    this.inFlight.set(root.dir, controller);
    const rootUri = pathToFileURL(root.dir).href;
    const anchor = `${rootUri}/${root.kind === 'helm' ? 'Chart.yaml' : 'kustomization.yaml'}`;
    const settings = await this.settings.forDocument(anchor);
    if (controller.signal.aborted) return undefined;
    if (!this.trusted) return byUri(root, [untrustedNote(root)]);
    const configured = settings.programPaths[root.kind];
    const program = programFor(root.kind, configured || undefined);
    let rendered;
    try {
      rendered = await renderRoot({
        root,
        program,
        unsaved: this.unsavedBuffers(root),
        kubernetesVersion: settings.config.kubernetesVersion,
        signal: controller.signal,
        helm: root.kind === 'helm' ? helmOptionsFromConfig(root.dir, settings.configFile?.input, settings.configFile?.dir) : undefined,
      });
    } catch (error) {
      if (controller.signal.aborted) return undefined;
      throw error;
    } finally {
      if (this.inFlight.get(root.dir) === controller) this.inFlight.delete(root.dir);
    }
    if (controller.signal.aborted) return undefined;
    const key = `${rootUri}/`;
    if (root.kind === 'kustomize') {
      // An overlay's cross-file rules see its own objects only: a sibling overlay never covers (or breaks) them.
      return byUri(root, resultsOnSources(rendered, analyze(rendered.files, { config: settings.config })));
    }
    const results = analyze(rendered.files, { config: settings.config, context: this.index.contextIndexFor(key) });
    // Cross-file rules elsewhere see what the chart renders, not its raw templates.
    const objects = renderedObjects(rendered.files, anchor);
    this.index.replace(key, objects);
    const linted = byUri(root, resultsOnSources(rendered, results));
    for (const [uri, symbols] of symbolsByUri(rendered, objects)) {
      const result = linted.get(uri);
      if (result) result.symbols = symbols;
    }
    return linted;
  }

  /** Open documents of the root whose text differs from the file: only these reach the private copy. */
  private unsavedBuffers(root: RenderRoot): Map<string, string> {
    const unsaved = new Map<string, string>();
    const inputs = new Set(root.inputs);
    for (const document of this.documents.all()) {
      if (!document.uri.startsWith('file:')) continue;
      const path = fileURLToPath(document.uri);
      if (!inputs.has(path) && !path.startsWith(root.dir + '/')) continue;
      const text = document.getText();
      if (text !== readText(path)) unsaved.set(path, text);
    }
    return unsaved;
  }
}

function untrustedNote(root: RenderRoot): FileResult {
  const file = root.kind === 'helm' ? `${root.dir}/Chart.yaml` : (root.inputs[0] ?? root.dir);
  const zero = { line: 0, character: 0 };
  const problem: Problem = {
    code: 'render-unavailable',
    severity: 'info',
    message: `This workspace is not trusted, so ${root.kind} is not run and the ${root.kind === 'helm' ? 'chart' : 'overlay'} is not linted: trust the workspace to get its findings.`,
    file,
    span: { start: 0, end: 0 },
    range: { start: zero, end: zero },
  };
  return { file, findings: [], problems: [problem], objects: [] };
}

/** Results keyed by URI, every input of the root included (so a fixed file is cleared). */
function byUri(root: RenderRoot, results: readonly FileResult[]): RootResults {
  const uri = (file: string) => pathToFileURL(file).href;
  const map: RootResults = new Map();
  for (const input of root.inputs)
    if (/\.(ya?ml|tpl)$/i.test(input)) map.set(uri(input), { file: uri(input), findings: [], problems: [], objects: [] });
  for (const result of results) {
    const file = uri(result.file);
    map.set(file, {
      file,
      findings: result.findings.map((f) => ({
        ...f,
        file,
        ...(f.related ? { related: f.related.map((r) => ({ ...r, file: r.file.startsWith('file:') ? r.file : uri(r.file) })) } : {}),
      })),
      problems: result.problems.map((p) => ({ ...p, file })),
      objects: result.objects,
    });
  }
  return map;
}

/**
 * Where each rendered object sits in its template: the renderer's own map, asked with one marker per
 * rendered file (the line a problem on its first line would move to).
 */
function symbolsByUri(rendered: RenderedRoot, objects: readonly RenderedObject[]): Map<string, RenderedSymbol[]> {
  const zero = { line: 0, character: 0 };
  const markers: FileResult[] = rendered.files.map((file, index) => ({
    file: file.file,
    findings: [],
    objects: [],
    problems: [
      {
        code: 'rule-failed',
        severity: 'info',
        message: String(index),
        file: file.file,
        span: { start: 0, end: 0 },
        range: { start: zero, end: zero },
      },
    ],
  }));
  const byFile = new Map<string, RenderedObject[]>();
  for (const object of objects) {
    const list = byFile.get(object.renderedFile) ?? [];
    list.push(object);
    byFile.set(object.renderedFile, list);
  }
  const symbols = new Map<string, RenderedSymbol[]>();
  for (const result of rendered.toSources(markers)) {
    const uri = pathToFileURL(result.file).href;
    for (const marker of result.problems) {
      const file = rendered.files[Number(marker.message)]?.file;
      for (const object of byFile.get(file) ?? []) {
        const list = symbols.get(uri) ?? [];
        list.push({
          kind: object.kind,
          apiVersion: object.apiVersion,
          name: object.name,
          namespace: object.namespace,
          range: marker.range,
        });
        symbols.set(uri, list);
      }
    }
  }
  return symbols;
}

/** The rendered objects, for the workspace index (rules elsewhere that look for a Service, a PDB…). */
type RenderedObject = K8sObject & { renderedFile: string };

function renderedObjects(files: readonly { file: string; text: string }[], rootFile: string): RenderedObject[] {
  const objects: RenderedObject[] = [];
  const zero = { line: 0, character: 0 };
  // Links from other files point at the root's own file: the rendered text has no place in the editor.
  for (const file of files)
    for (const object of prepareFile(file, DEFAULT_CONFIG).objects)
      objects.push({ ...object, file: rootFile, anchor: { start: zero, end: zero }, renderedFile: file.file });
  return objects;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
