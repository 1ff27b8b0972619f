// Helm's own errors → where Helm says they are. `helm template` stops at the first error and names its
// place in one of a few forms; each becomes one diagnostic on that file and line.

/** A place Helm names: a chart file by Helm's name ("ledger/templates/x.yaml") or a values file by path. */
export interface HelmErrorPlace {
  /** Helm's name of a chart file, or a values file's path as given. */
  source: string;
  /** One-based, as Helm prints it. */
  line: number;
  column?: number;
  /** The line is in the rendered output of `source`, not in its template text (a YAML error of the output). */
  rendered: boolean;
  /** A values file: the chart's values.yaml ("values.yaml") or a -f file's path. */
  values: boolean;
}

export interface HelmError {
  message: string;
  place?: HelmErrorPlace;
  /** Chart.yaml names dependencies that charts/ does not hold. */
  missingDependencies?: boolean;
}

const TEMPLATE_PLACE = /template: ([^\s:]+):(\d+):(\d+): /g;
const EXECUTION_PLACE = /(?:execution|parse) error at \(([^\s:()]+):(\d+)(?::(\d+))?\)/;
const RENDERED_YAML = /YAML parse error on ([^\s:]+): .*?\bline (\d+):/;
const VALUES_FILE = /(?:cannot load|failed to parse) (\S+?): .*?\bline (\d+):/;

/** Reads helm's standard error; the innermost place wins (an error inside an include is on the helper's line). */
export function parseHelmError(stderr: string): HelmError {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('Use --debug'));
  const text = lines.find((line) => line.startsWith('Error:')) ?? lines[0] ?? 'helm failed without a message';
  const message = text.replace(/^Error:\s*/, '').trim();
  if (/missing in charts\/ directory|helm dependency build/.test(message)) return { message, missingDependencies: true };
  const templatePlaces = [...message.matchAll(TEMPLATE_PLACE)];
  const innermost = templatePlaces[templatePlaces.length - 1];
  if (innermost)
    return {
      message: cleanMessage(message),
      place: { source: innermost[1], line: Number(innermost[2]), column: Number(innermost[3]), rendered: false, values: false },
    };
  const execution = EXECUTION_PLACE.exec(message);
  if (execution)
    return {
      message,
      place: {
        source: execution[1],
        line: Number(execution[2]),
        column: execution[3] ? Number(execution[3]) : undefined,
        rendered: false,
        values: false,
      },
    };
  const rendered = RENDERED_YAML.exec(message);
  if (rendered) return { message, place: { source: rendered[1], line: Number(rendered[2]), rendered: true, values: false } };
  const values = VALUES_FILE.exec(message);
  if (values) return { message, place: { source: values[1], line: Number(values[2]), rendered: false, values: true } };
  return { message };
}

/** The part of a nested template error a person reads: what failed, not every frame that led there. */
function cleanMessage(message: string): string {
  const frames = message.split(/: error calling include: /);
  return frames[frames.length - 1].replace(/^template: /, 'template ');
}
