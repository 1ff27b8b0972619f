// `helm template` on a chart → rendered documents for the engine, and the way back to template and values
// lines. Helm runs with an argument list, never a shell, and never touches the network: no dependency
// update, and empty repository, registry and cache settings in a private directory. Unsaved editor
// buffers reach it only through a copy of the chart in that directory, removed when helm returns.
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { runProgram, ProgramError } from '../../../lib/programs/run-program';
import { LineIndex } from '../../engine/line-index';
import {
  helmSourceMapper,
  remapResults,
  type ChartSourceFile,
  type HelmChartSources,
  type RenderedDocument,
} from '../../engine/source-map';
import type { Problem, Span } from '../../engine/types';
import { withPrivateDir } from '../private-dir';
import type { RenderedRoot, RenderRequest } from '../types';
import { CHART_FILE, chartFiles, missingDependencies, readChart, vendoredSubcharts, type ChartInfo } from './chart';
import { parseHelmError } from './errors';

const DEFAULT_RELEASE = 'release-name';
const DEFAULT_NAMESPACE = 'default';
/** Where rendered documents live for the engine: never written, never shown (findings move to the sources). */
const RENDERED = '.fintech-k8s-rendered';

export async function renderChart(request: RenderRequest): Promise<RenderedRoot> {
  const { root } = request;
  const read = (file: string): string | undefined => request.unsaved?.get(file) ?? readText(file);
  const chart = readChart(root.dir, read);
  const chartFile = join(root.dir, CHART_FILE);
  const result = (
    problems: Problem[],
    files: RenderedRoot['files'] = [],
    sources?: HelmChartSources,
    documents: RenderedDocument[] = [],
  ) => {
    const sourceFiles = sources ? sourceFilesOf(sources, chartFile) : [chartFile];
    const mapper = sources ? helmSourceMapper(sources, documents) : undefined;
    return {
      root,
      files,
      problems,
      toSources: (results: Parameters<RenderedRoot['toSources']>[0]) =>
        mapper
          ? remapResults(results, mapper, sourceFiles)
          : sourceFiles.map((file) => ({ file, findings: [], problems: [], objects: [] })),
    } satisfies RenderedRoot;
  };
  if (!chart) return result([problemAt(chartFile, read(chartFile) ?? '', 0, 'render-failed', 'error', `Cannot read ${CHART_FILE}.`)]);
  const chartText = read(chartFile) ?? '';
  if (chart.library)
    return result([
      problemAt(
        chartFile,
        chartText,
        0,
        'render-unavailable',
        'info',
        `Library chart "${chart.name}": not rendered on its own; its templates are linted through the charts that vendor it.`,
      ),
    ]);
  const missing = missingDependencies(chart);
  if (missing.length > 0) {
    const names = missing.map((d) => d.name).join(', ');
    const first = missing[0];
    return result([
      problemAt(
        first.file,
        read(first.file) ?? '',
        first.offset,
        'render-failed',
        'error',
        `Dependencies missing from charts/: ${names}. Run \`helm dependency build ${root.dir}\` to vendor them; the chart is not rendered until then (nothing is downloaded).`,
      ),
    ]);
  }
  if (!request.program)
    return result([
      problemAt(
        chartFile,
        chartText,
        0,
        'render-unavailable',
        'info',
        `helm was not found, so chart "${chart.name}" is not linted: install helm 3 and put it on PATH, or set fintechK8s.helm.path (CLI: --helm-path).`,
      ),
    ]);

  const sources = chartSources(chart, request, read);
  const outcome = await runHelm(request, chart);
  if ('error' in outcome) return result([problemAt(chartFile, chartText, 0, 'render-failed', 'error', outcome.error)], [], sources);
  if (outcome.exitCode !== 0) return result([await helmProblem(outcome.stderr, request, chart, sources, chartFile, read)], [], sources);
  const documents = splitRendered(outcome.stdout, root.dir);
  return result(
    [],
    documents.map(({ file, text }) => ({ file, text })),
    sources,
    documents,
  );
}

/** The files findings can land on: templates, values files and Chart.yaml. */
function sourceFilesOf(sources: HelmChartSources, chartFile: string): string[] {
  const files = new Set<string>([chartFile]);
  for (const chart of sources.charts) if (chart.values) files.add(chart.values.file);
  for (const values of sources.userValues) files.add(values.file);
  for (const template of sources.templates.values()) files.add(template.file);
  return [...files];
}

/** Templates by Helm's name for them, each chart's values.yaml, and the -f files. */
function chartSources(chart: ChartInfo, request: RenderRequest, read: (file: string) => string | undefined): HelmChartSources {
  const templates = new Map<string, ChartSourceFile>();
  const charts: HelmChartSources['charts'][number][] = [];
  const visit = (info: ChartInfo, prefix: string, keyPath: readonly string[]) => {
    const valuesFile = join(info.dir, 'values.yaml');
    const valuesText = read(valuesFile);
    charts.push({ prefix, keyPath, values: valuesText === undefined ? undefined : { file: valuesFile, text: valuesText } });
    // crds/ holds plain YAML that helm installs first: rendered with --include-crds, so custom resources are checked against it.
    for (const file of [...chartFiles(join(info.dir, 'templates')), ...chartFiles(join(info.dir, 'crds'))]) {
      const text = read(file);
      if (text !== undefined) templates.set(prefix + relative(info.dir, file).split(sep).join('/'), { file, text });
    }
    for (const sub of vendoredSubcharts(info, read)) visit(sub.info, `${prefix}charts/${sub.name}/`, [...keyPath, sub.name]);
  };
  visit(chart, `${chart.name}/`, []);
  const userValues = (request.helm?.valuesFiles ?? []).flatMap((file) => {
    const text = read(file);
    return text === undefined ? [] : [{ file, text }];
  });
  return { templates, charts, userValues };
}

type HelmRun = { exitCode: number | null; stdout: string; stderr: string } | { error: string };

async function runHelm(request: RenderRequest, chart: ChartInfo, extra: readonly string[] = []): Promise<HelmRun> {
  return withPrivateDir(async (dir) => {
    const chartDir = await chartToRender(request, dir);
    const valuesFiles = await valuesToRender(request, dir);
    const options = request.helm;
    const args = [
      'template',
      options?.releaseName ?? DEFAULT_RELEASE,
      chartDir,
      '--namespace',
      options?.namespace ?? DEFAULT_NAMESPACE,
      '--kube-version',
      `v${request.kubernetesVersion}.0`,
      '--include-crds',
      ...valuesFiles.flatMap((file) => ['--values', file]),
      ...(options?.set ?? []).flatMap((assignment) => ['--set', assignment]),
      ...extra,
    ];
    try {
      const run = await runProgram({
        program: request.program!,
        args,
        cwd: dir,
        env: isolatedEnvironment(dir),
        signal: request.signal,
        timeoutMs: 30_000,
      });
      // Messages name the private copy; people know the chart by its own path.
      const unprivate = (text: string) => text.split(chartDir).join(request.root.dir).split(dir).join(chart.dir);
      return { exitCode: run.exitCode, stdout: run.stdout, stderr: unprivate(run.stderr) };
    } catch (error) {
      if (error instanceof ProgramError && error.reason === 'cancelled') throw error;
      return { error: `helm could not render chart "${chart.name}": ${(error as Error).message}` };
    }
  });
}

/** The chart as helm should see it: in place, or a private copy with the unsaved buffers written in. */
async function chartToRender(request: RenderRequest, dir: string): Promise<string> {
  const { root, unsaved } = request;
  const inside = [...(unsaved?.keys() ?? [])].filter((file) => file.startsWith(root.dir + sep));
  if (inside.length === 0) return root.dir;
  const copy = join(dir, 'chart', basename(root.dir));
  await cp(root.dir, copy, { recursive: true, filter: (source) => !/[\\/](\.git|node_modules)$/.test(source) });
  for (const file of inside) {
    const target = join(copy, relative(root.dir, file));
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(target, unsaved!.get(file)!, { mode: 0o600 });
  }
  return copy;
}

async function valuesToRender(request: RenderRequest, dir: string): Promise<string[]> {
  const files = request.helm?.valuesFiles ?? [];
  return Promise.all(
    files.map(async (file, index) => {
      const text = request.unsaved?.get(file);
      if (text === undefined) return file;
      const copy = join(dir, `values-${index}.yaml`);
      await writeFile(copy, text, { mode: 0o600 });
      return copy;
    }),
  );
}

/** Nothing helm could reach the network with: no repositories, registries, plugins or kubeconfig of the user. */
function isolatedEnvironment(dir: string): Record<string, string> {
  return {
    HELM_REPOSITORY_CONFIG: join(dir, 'helm', 'repositories.yaml'),
    HELM_REPOSITORY_CACHE: join(dir, 'helm', 'repository'),
    HELM_REGISTRY_CONFIG: join(dir, 'helm', 'registry', 'config.json'),
    HELM_CACHE_HOME: join(dir, 'helm', 'cache'),
    HELM_CONFIG_HOME: join(dir, 'helm', 'config'),
    HELM_DATA_HOME: join(dir, 'helm', 'data'),
    HELM_PLUGINS: join(dir, 'helm', 'plugins'),
    KUBECONFIG: join(dir, 'helm', 'no-kubeconfig'),
  };
}

/** `helm template`'s output → one document per virtual file, each knowing its template (`# Source:`). */
export function splitRendered(output: string, chartDir: string): RenderedDocument[] {
  const documents: RenderedDocument[] = [];
  for (const part of output.split(/^---[ \t]*$/m)) {
    const source = /^# Source: (.+)$/m.exec(part)?.[1]?.trim();
    if (!source || part.replace(/^#.*$/gm, '').trim() === '') continue;
    const text = part.replace(/^\n/, '');
    documents.push({ file: join(chartDir, RENDERED, String(documents.length), source), source, text });
  }
  return documents;
}

async function helmProblem(
  stderr: string,
  request: RenderRequest,
  chart: ChartInfo,
  sources: HelmChartSources,
  chartFile: string,
  read: (file: string) => string | undefined,
): Promise<Problem> {
  const error = parseHelmError(stderr);
  const onChart = (message: string) => problemAt(chartFile, read(chartFile) ?? '', 0, 'render-failed', 'error', message);
  if (error.missingDependencies)
    return onChart(`${error.message}. Run \`helm dependency build ${request.root.dir}\` (nothing is downloaded while linting).`);
  const place = error.place;
  if (!place) return onChart(`helm template failed: ${error.message}`);
  const message = `helm template: ${error.message}`;
  if (place.values) {
    const file = place.source === 'values.yaml' ? join(chart.dir, 'values.yaml') : place.source;
    const text = read(file);
    if (text === undefined) return onChart(message);
    return problemOnLine(file, text, place.line - 1, place.column, message);
  }
  const template = sources.templates.get(place.source);
  if (!template) return onChart(message);
  if (!place.rendered) return problemOnLine(template.file, template.text, place.line - 1, place.column, message);
  // A YAML error of the output: helm counts lines of the rendered template; find that line's template line.
  const debug = await runHelm(request, chart, ['--debug']).catch(() => undefined);
  if (debug && 'stdout' in debug) {
    const rendered = splitRendered(debug.stdout, request.root.dir).find((d) => d.source === place.source);
    if (rendered) {
      const mapper = helmSourceMapper(sources, [rendered]);
      const line = rendered.text.split('\n').findIndex((l) => l.startsWith('# Source:')) + place.line;
      const at = mapper.placeOfRange(rendered.file, { start: { line, character: 0 }, end: { line, character: 0 } });
      if (at) return { code: 'render-failed', severity: 'error', message, file: at.file, span: at.span, range: at.range };
    }
  }
  return problemOnLine(template.file, template.text, 0, undefined, message);
}

function problemOnLine(file: string, text: string, line: number, column: number | undefined, message: string): Problem {
  const lines = new LineIndex(text);
  const clamped = Math.max(0, Math.min(line, lines.lineCount - 1));
  const lineText = lines.lineText(clamped);
  const indent = lineText.length - lineText.trimStart().length;
  const start = lines.lineStart(clamped) + (column !== undefined ? Math.min(column - 1, lineText.length) : indent);
  const end = lines.lineStart(clamped) + lineText.trimEnd().length;
  return problemSpan(file, lines, { start, end: Math.max(start, end) }, 'render-failed', 'error', message);
}

function problemAt(
  file: string,
  text: string,
  offset: number,
  code: Problem['code'],
  severity: Problem['severity'],
  message: string,
): Problem {
  const lines = new LineIndex(text);
  const line = lines.positionAt(offset).line;
  const end = lines.lineStart(line) + lines.lineText(line).trimEnd().length;
  return problemSpan(file, lines, { start: offset, end: Math.max(offset, end) }, code, severity, message);
}

function problemSpan(
  file: string,
  lines: LineIndex,
  span: Span,
  code: Problem['code'],
  severity: Problem['severity'],
  message: string,
): Problem {
  return { code, severity, message, file, span, range: lines.rangeOf(span) };
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
