// Builds one overlay with the real kustomize (or `kubectl kustomize`) and hands the engine the objects with
// a map back to the base, patch and kustomization lines. Build metadata is asked for by a wrapper
// kustomization in a private directory that includes the overlay, so the user's files are never changed;
// unsaved buffers are built from a private copy. Remote resources are refused before anything runs, and
// the program runs with proxies that lead nowhere, so nothing is fetched either way.
import { readdirSync, statSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { ProgramError, runProgram } from '../../../lib/programs/run-program';
import { LineIndex } from '../../engine/line-index';
import { loadGraph, type KustomizeGraph, type ReadText } from '../../engine/source-map/kustomize-graph';
import { mapKustomizeBuild } from '../../engine/source-map/kustomize-map';
import { readBuildOutput } from '../../engine/source-map/kustomize-output';
import type { FileResult, Problem, Severity, Span } from '../../engine/types';
import { withPrivateDir } from '../private-dir';
import type { RenderedRoot, RenderRequest, RenderRoot } from '../types';
import { sourceReader } from './discover';

/** An environment in which kustomize (and any git it starts) cannot reach the network. */
export const OFFLINE_ENV: Record<string, string> = {
  HTTP_PROXY: 'http://127.0.0.1:9',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  http_proxy: 'http://127.0.0.1:9',
  https_proxy: 'http://127.0.0.1:9',
  NO_PROXY: '',
  no_proxy: '',
  GIT_ALLOW_PROTOCOL: 'file',
  GIT_TERMINAL_PROMPT: '0',
};

const WRAPPER = 'kustomization.yaml';
/** Files copied beside each kustomization for an unsaved build (configs the kustomization may read). */
const MAX_SIBLING_BYTES = 1024 * 1024;

export async function renderKustomize(request: RenderRequest): Promise<RenderedRoot> {
  const { root } = request;
  const read = sourceReader(request.unsaved);
  const graph = loadGraph(root.dir, read);
  const renderedFile = join(root.dir, '(kustomize build)');
  const nothing = (problems: Problem[], inputs: readonly string[] = root.inputs): RenderedRoot => ({
    root: { ...root, inputs },
    files: [],
    toSources: (results) => results.map((r) => ({ ...r })) as FileResult[],
    problems,
  });
  if (!graph) return nothing([problemAt(root.dir, '', undefined, 'error', 'kustomize-build', `No kustomization file in ${root.dir}.`)]);
  const rootFile = graph.root.k.file;
  const inputs = graph.inputs;
  const refused = [
    ...graph.issues.map((issue) =>
      problemAt(
        issue.file,
        read(issue.file) ?? '',
        spanOfEntry(graph, issue.file, issue.ref.at),
        'error',
        'kustomize-build',
        issue.message,
      ),
    ),
    ...unsupportedEntries(graph, read),
  ];
  if (refused.length > 0) return nothing(refused, inputs);
  const onRoot = (code: Problem['code'], message: string) =>
    nothing([problemAt(rootFile, read(rootFile) ?? '', undefined, 'info', code, message)], inputs);
  if (graph.root.k.isComponent)
    return onRoot(
      'kustomize-build',
      `${overlayName(root)} is a kustomize Component: it is checked as part of the overlays that include it (none here), and its patches are not linted on their own.`,
    );
  if (!request.program)
    return onRoot(
      'renderer-not-found',
      `kustomize was not found, so what ${overlayName(root)} builds is not checked (its patches and bases are not linted on their own). Install kustomize or kubectl, or set fintechK8s.kustomize.path (CLI: --kustomize-path).`,
    );

  const program = request.program;
  const unsaved = inputs.some((file) => request.unsaved?.has(file));
  const run = await withPrivateDir(async (privateDir) => {
    let builtDir = root.dir;
    let toSource = (file: string) => file;
    if (unsaved) {
      const copy = await copyTree(graph, read, join(privateDir, 'tree'));
      builtDir = copy.map(root.dir);
      toSource = copy.unmap;
    }
    const wrapper = join(privateDir, 'build');
    await mkdir(wrapper);
    await writeFile(
      join(wrapper, WRAPPER),
      `resources:\n  - ${JSON.stringify(relative(wrapper, builtDir).split(sep).join('/'))}\nbuildMetadata: [originAnnotations, transformerAnnotations]\n`,
    );
    const isKubectl = /^kubectl(\.exe)?$/i.test(basename(program));
    const result = await runProgram({
      program,
      args: isKubectl ? ['kustomize', wrapper] : ['build', wrapper],
      cwd: wrapper,
      env: OFFLINE_ENV,
      signal: request.signal,
      timeoutMs: 60_000,
    });
    return { result, resolvePath: (p: string) => toSource(resolve(wrapper, p)), privateDir };
  }).catch((error: unknown) => {
    if (error instanceof ProgramError && error.reason === 'cancelled') throw error;
    return { error: error as Error };
  });
  if ('error' in run)
    return nothing([problemAt(rootFile, read(rootFile) ?? '', undefined, 'error', 'kustomize-build', run.error.message)], inputs);
  if (run.result.exitCode !== 0) {
    const at = errorLocation(run.result.stderr, graph, run.resolvePath, read) ?? { file: rootFile, span: undefined };
    const message = buildError(run.result.stderr, run.privateDir, root);
    return nothing([problemAt(at.file, read(at.file) ?? '', at.span, 'error', 'kustomize-build', message)], inputs);
  }
  const output = readBuildOutput(run.result.stdout, run.resolvePath);
  const mapped = mapKustomizeBuild({ graph, output, read, renderedFile });
  return { root: { ...root, inputs }, files: mapped.files, toSources: mapped.toSources, problems: [] };
}

function overlayName(root: RenderRoot): string {
  return basename(root.dir);
}

/**
 * kustomize's error without what the wrapper adds to it (the accumulation of the wrapped directory) and
 * with the private directory's paths put back as the user's.
 */
function buildError(stderr: string, privateDir: string, root: RenderRoot): string {
  const lines = stderr.split('\n');
  const start = lines.findIndex((l) => l.trim().startsWith('Error:'));
  const text = (start === -1 ? lines : lines.slice(start))
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('# Warning'))
    .join(' ');
  const wrapper = /^accumulating resources: accumulation err='accumulating resources from '[^']*': '[^']*' must resolve to a file': (.*)$/;
  let message = (text || 'failed').replace(/^Error:\s*/, '');
  const inner = wrapper.exec(message);
  if (inner) message = inner[1].replace(/^(couldn't make target for path '[^']*': |recursed accumulation of path '[^']*': )+/, '');
  message = message.split(privateDir).join('');
  const short = message.length > 600 ? `${message.slice(0, 600)}…` : message;
  return `kustomize could not build ${overlayName(root)}: ${short}`;
}

/**
 * Where kustomize's error is, when it says: a resource that is not YAML (`yaml: line 4 … in File: cm.yaml`,
 * relative to the kustomization it names last), or a strategic-merge patch that matches nothing.
 */
function errorLocation(
  stderr: string,
  graph: KustomizeGraph,
  resolvePath: (path: string) => string,
  read: ReadText,
): { file: string; span: Span | undefined } | undefined {
  const inFile = /yaml: line (\d+):.* in File: (\S+)/.exec(stderr);
  if (inFile) {
    const dirs = [...stderr.matchAll(/(?:recursed accumulation of path|couldn't make target for path) '([^']*)'/g)].map((m) => m[1]);
    const dir = dirs.length > 0 ? resolvePath(dirs[dirs.length - 1]) : graph.root.k.dir;
    const file = join(dir, inFile[2]);
    const text = read(file);
    if (text !== undefined && graph.inputs.includes(file)) {
      const lines = new LineIndex(text);
      const line = Math.min(Number(inFile[1]) - 1, lines.lineCount - 1);
      return { file, span: { start: lines.lineStart(line), end: lines.lineStart(line) + lines.lineText(line).length } };
    }
  }
  const unmatched = /no resource matches strategic merge patch "([^".]+)\.[^/"]*\/([^".]+)\./.exec(stderr);
  if (unmatched) {
    const [, kind, name] = unmatched;
    for (const file of graph.inputs) {
      for (const doc of graph.patchDocs(file)) {
        const value = doc.value as { kind?: unknown; metadata?: { name?: unknown } } | undefined;
        if (value?.kind === kind && value.metadata?.name === name) return { file, span: doc.locate(['metadata', 'name']).span };
      }
    }
  }
  return undefined;
}

function unsupportedEntries(graph: KustomizeGraph, read: ReadText): Problem[] {
  const problems: Problem[] = [];
  const visit = (node: KustomizeGraph['root'], seen: Set<string>) => {
    if (seen.has(node.k.file)) return;
    seen.add(node.k.file);
    for (const entry of node.k.unsupported)
      problems.push(
        problemAt(
          node.k.file,
          read(node.k.file) ?? '',
          node.k.doc.locate(entry.at).span,
          'error',
          'kustomize-build',
          `Not built: ${entry.reason}.`,
        ),
      );
    for (const r of node.resources) if (r.kind === 'dir') visit(r.node, seen);
    for (const c of node.components) visit(c.node, seen);
  };
  visit(graph.root, new Set());
  return problems;
}

function spanOfEntry(graph: KustomizeGraph, file: string, at: readonly (string | number)[]): Span | undefined {
  const find = (node: KustomizeGraph['root'], seen: Set<string>): Span | undefined => {
    if (seen.has(node.k.file)) return undefined;
    seen.add(node.k.file);
    if (node.k.file === file) return node.k.doc.locate(at).span;
    const children = [...node.resources.flatMap((r) => (r.kind === 'dir' ? [r.node] : [])), ...node.components.map((c) => c.node)];
    for (const child of children) {
      const span = find(child, seen);
      if (span) return span;
    }
    return undefined;
  };
  return find(graph.root, new Set());
}

function problemAt(
  file: string,
  text: string,
  span: Span | undefined,
  severity: Severity,
  code: Problem['code'],
  message: string,
): Problem {
  const at = span ?? { start: 0, end: 0 };
  return { code, severity, message, file, span: at, range: new LineIndex(text).rangeOf(at) };
}

/**
 * Copies what the build reads (with unsaved buffers as they are in the editor) into dir, keeping the
 * layout relative to the files' common parent, plus the other small files beside each kustomization.
 */
async function copyTree(
  graph: KustomizeGraph,
  read: ReadText,
  dir: string,
): Promise<{ map: (file: string) => string; unmap: (file: string) => string }> {
  const files = new Set(graph.inputs);
  for (const kustomization of graph.kustomizations) {
    const parent = dirname(kustomization);
    for (const name of safeList(parent)) {
      const file = join(parent, name);
      try {
        const stat = statSync(file);
        if (stat.isFile() && stat.size <= MAX_SIBLING_BYTES) files.add(file);
      } catch {
        // gone since listed
      }
    }
  }
  const common = commonParent([...files]);
  const map = (file: string) => join(dir, relative(common, file));
  const unmap = (file: string) => (file === dir || file.startsWith(dir + sep) ? join(common, relative(dir, file)) : file);
  for (const file of files) {
    const target = map(file);
    await mkdir(dirname(target), { recursive: true });
    const text = read(file);
    if (text !== undefined) await writeFile(target, text);
    else await copyFile(file, target).catch(() => undefined);
  }
  return { map, unmap };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function commonParent(files: string[]): string {
  let common = dirname(files[0]);
  for (const file of files)
    while (common !== dirname(common) && !(file.startsWith(common + sep) || file === common)) common = dirname(common);
  return common;
}
