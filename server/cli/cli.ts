// `fintech-k8s scan <files|dirs|->`: the same engine as the editor, for CI; `fintech-k8s report` renders the
// same findings as the compliance report (Markdown or HTML).
// Exit codes: 0 clean, 1 findings at or above the threshold, 2 usage or I/O error (or an unreadable file).
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { collectFiles, describeFsError } from './files';
import {
  CONFIG_FILE_NAME,
  ConfigError,
  isSeverity,
  kubernetesVersionOf,
  parseConfigFile,
  resolveConfig,
  type ConfigInput,
} from '../engine/config';
import { configSearchBoundary, findConfigFile } from '../engine/config-file';
import { analyzeEach, type SourceFile } from '../engine/engine';
import { jsonEnd, jsonFile, jsonStart } from '../engine/format/json';
import { SarifWriter } from '../engine/format/sarif';
import { formatFileText, summaryLine } from '../engine/format/text';
import { addToSummary, emptySummary } from '../engine/format/summary';
import { buildReport } from '../engine/format/report';
import { renderReportHtml } from '../engine/format/report-html';
import { renderReportMarkdown } from '../engine/format/report-markdown';
import { ALL_RULES } from '../engine/rules';
import { DEFAULT_KUBERNETES_VERSION, SUPPORTED_KUBERNETES_VERSIONS } from '../engine/schema/versions';
import { atLeast, type FileResult, type Problem, type ResolvedConfig, type Severity } from '../engine/types';
import { ruleDocsUrl } from '../engine/docs-url';
import { renderTargets, type RenderFlags } from './render-targets';

declare const PACKAGE_VERSION: string | undefined;
export const VERSION = typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): string;
  cwd: string;
}

const USAGE = `Usage: fintech-k8s scan [options] <file|directory|->...
       fintech-k8s report [options] <file|directory|->...

Lints Kubernetes manifests for Pod Security, CIS/NSA hardening and PCI DSS v4.0 rules.
'report' writes the compliance report: findings grouped by PCI DSS v4.0 requirement, Pod Security level
and CIS/NSA control, with suppressed findings and their reasons listed separately.

Options:
      --format <format>                scan: text|json|sarif (default: text)
                                       report: markdown|html (default: markdown)
  -o, --output <file>                  report: write the report to this file and print its path
  -s, --severity-threshold <level>     fail (exit 1) on findings at or above: info|warning|error (default: warning)
  -c, --config <file>                  settings file (default: the nearest ${CONFIG_FILE_NAME} at or above the
                                       first target, else the working directory, never above the repository
                                       root; the file used is named in the output)
  -k, --kubernetes-version <minor>     validate against this Kubernetes version's schema: ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')}
                                       (default: kubernetesVersion in the settings file, else ${DEFAULT_KUBERNETES_VERSION});
                                       charts are rendered for it (helm --kube-version)

Helm charts (found by Chart.yaml) are rendered with helm template and reported on their template and
values lines; their files are not linted on their own:
  -f, --values <file>                  values file for the charts (repeatable; a later file wins)
      --set <key=value>                helm --set for the charts (repeatable)
      --release-name <name>            release name to render with (default: release-name)
      --namespace <namespace>          namespace to render into (default: default)
      --helm-path <path>               the helm to run (default: helm on PATH)
  (without these flags, a chart's entry under helm: in the settings file applies)

Kustomize overlays (directories with kustomization.yaml no other kustomization includes) are built with
kustomize build and reported on their base, patch and kustomization lines; their files are not linted on
their own, and each overlay's cross-file rules see its own objects only:
      --kustomize-path <path>          the kustomize to run (default: kustomize on PATH, else kubectl kustomize)

      --list-rules                     list the rules and exit
  -h, --help                           show this help
  -v, --version                        print the version

Exit codes: 0 no findings at or above the threshold, 1 findings, 2 usage, I/O or YAML errors.
`;

class UsageError extends Error {}
/** An I/O failure that is not the user's syntax: exit 2 without the usage hint. */
class IoError extends Error {}
/** A bug of ours, after the output it interrupted was closed. */
class InternalError extends Error {}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof IoError) {
      io.stderr(`fintech-k8s: ${error.message}\n`);
      if (error instanceof UsageError) io.stderr(`Run 'fintech-k8s --help' for usage.\n`);
      return 2;
    }
    // Anything else is a bug of ours: one clear line and exit 2, never 1 (CI reads 1 as "findings").
    const message = error instanceof InternalError ? error.message : internalErrorMessage(error);
    io.stderr(`fintech-k8s: ${message} (a bug: please report it with the input that caused it)\n`);
    return 2;
  }
}

function internalErrorMessage(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `internal error: ${text.split('\n')[0]}`;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        values: { type: 'string', short: 'f', multiple: true },
        set: { type: 'string', multiple: true },
        'release-name': { type: 'string' },
        namespace: { type: 'string' },
        'helm-path': { type: 'string' },
        'kustomize-path': { type: 'string' },
        output: { type: 'string', short: 'o' },
        'severity-threshold': { type: 'string', short: 's', default: 'warning' },
        config: { type: 'string', short: 'c' },
        'kubernetes-version': { type: 'string', short: 'k' },
        'list-rules': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (values.version) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const threshold = values['severity-threshold']!;
  if (!isSeverity(threshold)) throw new UsageError(`--severity-threshold must be info, warning or error, not "${threshold}"`);
  let kubernetesVersion: string | undefined;
  if (values['kubernetes-version'] !== undefined) {
    const minor = kubernetesVersionOf(values['kubernetes-version'], '--kubernetes-version');
    if (typeof minor !== 'string') throw new UsageError(minor.error);
    kubernetesVersion = minor;
  }
  const overrides: ConfigInput = { kubernetesVersion };
  for (const file of values.values ?? []) {
    // -f was --format before charts: say so rather than "no such file".
    if (['text', 'json', 'sarif', 'markdown', 'html'].includes(file) && !existsSync(resolve(io.cwd, file)))
      throw new UsageError(`-f is --values (a helm values file), as in helm; write --format ${file}`);
  }
  const renderFlags: RenderFlags = {
    valuesFiles: (values.values ?? []).map((file) => resolve(io.cwd, file)),
    set: values.set ?? [],
    releaseName: values['release-name'],
    namespace: values.namespace,
    helmPath: values['helm-path'],
    kustomizePath: values['kustomize-path'],
  };
  const [command, ...targets] = positionals;
  const isReport = command === 'report' && !values['list-rules'];
  const format = values.format ?? (isReport ? 'markdown' : 'text');
  if (isReport) {
    if (!['markdown', 'html'].includes(format)) throw new UsageError(`--format must be markdown or html for report, not "${format}"`);
  } else {
    if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
    if (values.output !== undefined) throw new UsageError('--output is only for report');
  }

  if (values['list-rules']) {
    io.stdout(listRules(format));
    return 0;
  }
  if (command !== 'scan' && command !== 'report') {
    throw new UsageError(command ? `unknown command "${command}"` : 'missing command: scan or report');
  }
  if (targets.length === 0) throw new UsageError(`${command} needs at least one file, directory or - (standard input)`);

  const configFile = loadConfigFile(
    values.config,
    io.cwd,
    targets.map((t) => (t === '-' ? t : resolve(io.cwd, t))),
  );
  if (isReport) {
    const results: FileResult[] = [];
    const outcome = await analyzeTargets(targets, configFile, overrides, renderFlags, threshold, io, (result) => results.push(result));
    const rules = ALL_RULES.filter((rule) => outcome.config.rules[rule.id] !== 'off');
    const report = buildReport(results, rules);
    const options = { generatedAt: new Date(), version: VERSION };
    const rendered = format === 'html' ? renderReportHtml(report, options) : renderReportMarkdown(report, options);
    if (values.output === undefined) io.stdout(rendered);
    else {
      const path = resolve(io.cwd, values.output);
      try {
        writeFileSync(path, rendered);
      } catch (error) {
        throw new IoError(`cannot write ${values.output}: ${describeFsError(error)}`);
      }
      io.stdout(`${path}\n`);
    }
    return outcome.exitCode;
  }

  // Every format goes out file by file, so a large scan never holds its whole report.
  const sarif = format === 'sarif' ? new SarifWriter(ALL_RULES, VERSION, io.cwd) : undefined;
  let filesWritten = 0;
  // Which settings file applied (it can turn rules off): said first, in every format.
  const configShown = configFile ? displayPath(configFile.path, io.cwd) : null;
  if (format === 'json') io.stdout(jsonStart(VERSION, configShown));
  else if (sarif) io.stdout(sarif.start(configShown));
  else if (configShown) io.stdout(`Settings: ${configShown}\n`);
  const summary = emptySummary();
  let outcome;
  try {
    outcome = await analyzeTargets(
      targets,
      configFile,
      overrides,
      renderFlags,
      threshold,
      io,
      (result) => {
        if (sarif) io.stdout(sarif.file(result));
        else if (format === 'json') io.stdout((filesWritten++ === 0 ? '' : ',\n') + jsonFile(result));
        else io.stdout(formatFileText(result));
      },
      summary,
    );
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof IoError) throw error;
    // Close what was opened, so a consumer still reads well-formed JSON or SARIF that says the run failed.
    const message = internalErrorMessage(error);
    if (format === 'json') io.stdout(jsonEnd(summary, message));
    else if (sarif) io.stdout(sarif.end(message));
    throw new InternalError(message, { cause: error });
  }
  if (format === 'json') io.stdout(jsonEnd(outcome.summary));
  else if (sarif) io.stdout(sarif.end());
  else io.stdout(summaryLine(outcome.summary) + '\n');
  return outcome.exitCode;
}

/**
 * Resolves the targets and the config, analyses every file and hands each result to `take`.
 * The exit code: 2 when a target or file could not be read or analysed or a rule failed, else 1 when an open finding is at
 * or above the threshold, else 0.
 */
async function analyzeTargets(
  targets: readonly string[],
  configFile: LoadedConfigFile | undefined,
  overrides: ConfigInput,
  flags: RenderFlags,
  threshold: Severity,
  io: CliIo,
  each: (result: FileResult) => void,
  summary = emptySummary(),
): Promise<{ config: ResolvedConfig; summary: ReturnType<typeof emptySummary>; exitCode: number }> {
  const paths = targets.map((t) => (t === '-' ? t : resolve(io.cwd, t)));
  const config = resolveConfig(configFile?.input, overrides);
  const collected = collectFiles(paths);
  for (const [path, reason] of collected.errors) io.stderr(`fintech-k8s: ${displayPath(path, io.cwd)}: ${reason}\n`);

  // Charts (and other render roots) among the targets: linted through their rendered output only.
  const rendered = await renderTargets(collected.files, config, configFile, flags);
  const sources: SourceFile[] = [];
  const unreadable: FileResult[] = [];
  for (const path of collected.files) {
    if (rendered.claimed.has(path)) continue;
    const file = displayPath(path, io.cwd);
    const read = readSource(path, file, config.maxFileBytes, io);
    if ('text' in read) sources.push({ file, text: read.text });
    else unreadable.push(read.result);
  }

  let failing = false;
  const take = (result: FileResult) => {
    addToSummary(summary, result);
    failing ||= result.findings.some((f) => !f.suppressed && atLeast(f.severity, threshold));
    each(result);
  };
  analyzeEach(sources, { config }, take);
  rendered.analyze({ config }, (result) => take(relativeResult(result, io.cwd)));
  unreadable.forEach(take);

  const exitCode =
    collected.errors.length > 0 || summary.filesWithErrors > 0 || summary.ruleFailures > 0 || rendered.unrendered > 0 ? 2 : failing ? 1 : 0;
  return { config, summary, exitCode };
}

/** Source files of charts are reported by path relative to the working directory, like every other file. */
function relativeResult(result: FileResult, cwd: string): FileResult {
  const rel = (file: string) => displayPath(file, cwd);
  return {
    ...result,
    file: rel(result.file),
    findings: result.findings.map((f) => ({
      ...f,
      file: rel(f.file),
      ...(f.related ? { related: f.related.map((r) => ({ ...r, file: rel(r.file) })) } : {}),
    })),
    problems: result.problems.map((p) => ({ ...p, file: rel(p.file) })),
  };
}

interface LoadedConfigFile {
  input: ConfigInput;
  dir: string;
  path: string;
}

/**
 * --config, else the nearest `.fintech-k8s.yaml` at or above the first target (else the working directory),
 * never above the repository that holds it: a file somewhere above a checkout must not switch rules off.
 */
function loadConfigFile(explicit: string | undefined, cwd: string, targets: readonly string[]): LoadedConfigFile | undefined {
  let path: string | undefined;
  if (explicit) path = resolve(cwd, explicit);
  else {
    const first = targets.find((t) => t !== '-');
    const start = first === undefined ? cwd : isDirectory(first) ? first : dirname(first);
    path = findConfigFile(start, configSearchBoundary(start, cwd)) ?? findConfigFile(cwd, configSearchBoundary(cwd, cwd));
  }
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read config ${explicit ?? path}: ${describeFsError(error)}`);
  }
  return { input: parseConfigFile(text, new Set(ALL_RULES.map((r) => r.id))), dir: dirname(path), path };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Reads a file, refusing (as a problem of that file) what is too large to read at all. */
function readSource(path: string, file: string, maxFileBytes: number, io: CliIo): { text: string } | { result: FileResult } {
  const failed = (code: Problem['code'], message: string): { result: FileResult } => {
    const zero = { line: 0, character: 0 };
    return {
      result: {
        file,
        findings: [],
        objects: [],
        problems: [{ code, severity: 'error', message, file, span: { start: 0, end: 0 }, range: { start: zero, end: zero } }],
      },
    };
  };
  if (path === '-') return { text: io.readStdin() };
  try {
    const size = statSync(path).size;
    if (size > maxFileBytes) {
      return failed(
        'file-too-large',
        `File is ${(size / 1048576).toFixed(1)} MB, over the ${(maxFileBytes / 1048576).toFixed(1)} MB limit (maxFileBytes): not analysed.`,
      );
    }
    return { text: readFileSync(path, 'utf8') };
  } catch (error) {
    io.stderr(`fintech-k8s: ${file}: ${describeFsError(error)}\n`);
    return failed('yaml-syntax', `cannot read: ${describeFsError(error)}`);
  }
}

function displayPath(path: string, cwd: string): string {
  if (path === '-') return '<stdin>';
  const relativePath = path.startsWith(cwd + '/') ? path.slice(cwd.length + 1) : path;
  return relativePath;
}

function listRules(format: string): string {
  const rules = ALL_RULES.map((rule) => ({
    id: rule.id,
    group: rule.group,
    severity: rule.severity,
    title: rule.title,
    pci: rule.references.pci,
    cis: rule.references.cis ?? [],
    pss: rule.references.pss ?? null,
    docs: ruleDocsUrl(rule.id),
  }));
  if (format === 'json') return JSON.stringify(rules, null, 2) + '\n';
  const width = Math.max(...rules.map((r) => r.id.length));
  return (
    rules
      .map(
        (r) =>
          `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.group.padEnd(12)}  ${r.title}${r.pci.length ? ` (PCI DSS ${r.pci.join(', ')})` : ''}`,
      )
      .join('\n') + '\n'
  );
}

// Run when bundled as the `fintech-k8s` bin (dist/cli.js), not when imported by tests.
if (typeof require !== 'undefined' && require.main === module) {
  // `fintech-k8s scan … | head`: the reader leaving early is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  void main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: () => readFileSync(0, 'utf8'),
    cwd: process.cwd(),
  }).then((code) => (process.exitCode = code));
}
