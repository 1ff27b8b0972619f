// What a chart directory holds: Chart.yaml (apiVersion v1 and v2), its dependencies and where they are
// vendored, and which chart a file belongs to. A file is a Helm template only under a chart; a vendored
// subchart (`charts/<name>/` of another chart) belongs to the chart that vendors it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';

export const CHART_FILE = 'Chart.yaml';
const SKIPPED = new Set(['.git', 'node_modules', '.hg', '.svn']);

export interface ChartDependency {
  name: string;
  alias?: string;
  /** Offset of the dependency's entry in Chart.yaml (or requirements.yaml for v1 charts). */
  offset: number;
  file: string;
}

export interface ChartInfo {
  dir: string;
  name: string;
  apiVersion: string;
  library: boolean;
  dependencies: ChartDependency[];
}

/** Reads a chart's Chart.yaml (and requirements.yaml for apiVersion v1); undefined when unreadable. */
export function readChart(dir: string, read: (file: string) => string | undefined = readText): ChartInfo | undefined {
  const file = join(dir, CHART_FILE);
  const text = read(file);
  if (text === undefined) return undefined;
  const doc = parseDocument(text);
  const value = (doc.errors.length === 0 ? doc.toJS() : undefined) as Record<string, unknown> | undefined;
  const info: ChartInfo = {
    dir,
    name: typeof value?.name === 'string' ? value.name : basename(dir),
    apiVersion: typeof value?.apiVersion === 'string' ? value.apiVersion : 'v1',
    library: value?.type === 'library',
    dependencies: [],
  };
  const collect = (source: string, sourceText: string) => {
    const parsed = parseDocument(sourceText);
    const list = isMap(parsed.contents) ? parsed.contents.get('dependencies', true) : undefined;
    if (!isSeq(list)) return;
    for (const item of list.items) {
      if (!isMap(item)) continue;
      const name = item.get('name');
      const alias = item.get('alias');
      if (typeof name !== 'string') continue;
      info.dependencies.push({ name, alias: typeof alias === 'string' ? alias : undefined, offset: item.range?.[0] ?? 0, file: source });
    }
  };
  collect(file, text);
  if (info.apiVersion === 'v1') {
    const requirements = join(dir, 'requirements.yaml');
    const requirementsText = read(requirements);
    if (requirementsText !== undefined) collect(requirements, requirementsText);
  }
  return info;
}

/** The chart a file or directory belongs to: its nearest chart, or the chart vendoring that one. */
export function chartDirOf(path: string, isFile = isPlainFile(path)): string | undefined {
  let dir = isFile ? dirname(path) : path;
  let found: string | undefined;
  for (;;) {
    if (existsSync(join(dir, CHART_FILE))) {
      found = dir;
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  // charts/<sub>/ of a chart is a vendored subchart: rendered with (and as part of) its parent.
  for (;;) {
    const holder = dirname(found);
    if (basename(holder) !== 'charts' || !existsSync(join(dirname(holder), CHART_FILE))) return found;
    found = dirname(holder);
  }
}

/** Every file of a chart (templates, values files, subcharts), for re-rendering on a change and claiming. */
export function chartFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string) => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name)) walk(path);
      } else if (entry.isFile()) files.push(path);
    }
  };
  walk(dir);
  return files;
}

/** Subcharts vendored as directories under charts/, each with the name Helm gives it (alias, else name). */
export function vendoredSubcharts(chart: ChartInfo, read?: (file: string) => string | undefined): { info: ChartInfo; name: string }[] {
  const holder = join(chart.dir, 'charts');
  let entries;
  try {
    entries = readdirSync(holder, { withFileTypes: true });
  } catch {
    return [];
  }
  const subcharts: { info: ChartInfo; name: string }[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const info = readChart(join(holder, entry.name), read);
    if (!info) continue;
    const dependency = chart.dependencies.find((d) => d.name === info.name);
    subcharts.push({ info, name: dependency?.alias ?? info.name });
  }
  return subcharts;
}

/** Dependencies named in Chart.yaml that charts/ holds neither as a directory nor as a packaged .tgz. */
export function missingDependencies(chart: ChartInfo): ChartDependency[] {
  const holder = join(chart.dir, 'charts');
  let entries: string[] = [];
  try {
    entries = readdirSync(holder);
  } catch {
    // no charts/ at all
  }
  const present = new Set<string>();
  for (const entry of entries) {
    const path = join(holder, entry);
    if (entry.endsWith('.tgz')) present.add(entry.replace(/-\d[^/]*\.tgz$/, '').replace(/\.tgz$/, ''));
    else if (isDirectory(path)) present.add(readChart(path)?.name ?? entry);
  }
  return chart.dependencies.filter((d) => !present.has(d.name));
}

/** Whether the file is a Helm template: under a chart's templates/ folder. */
export function isChartTemplate(file: string): boolean {
  const parts = file.split(sep);
  const at = parts.lastIndexOf('templates');
  return at > 0 && existsSync(join(parts.slice(0, at).join(sep) || sep, CHART_FILE));
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function isPlainFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return !existsSync(path) && /\.[A-Za-z0-9]+$/.test(path);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
