// Engine settings: defaults, the workspace file `.fintech-k8s.yaml`, and editor/CLI overrides.
// One merge function, so the CLI and the language server resolve settings the same way.
import { parse } from 'yaml';
import { bundledMinor, DEFAULT_KUBERNETES_VERSION, SUPPORTED_KUBERNETES_VERSIONS } from './schema/versions';
import type { ResolvedConfig, Severity, SeveritySetting } from './types';

export const CONFIG_FILE_NAME = '.fintech-k8s.yaml';

/** Files larger than this are reported, not parsed (the CLI and editor can raise it). */
export const DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024;

export const DEFAULT_CONFIG: ResolvedConfig = {
  rules: {},
  trustedRegistries: [],
  pciNamespaces: [],
  severityThreshold: 'info',
  maxFileBytes: DEFAULT_MAX_FILE_SIZE,
  kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
};

/** What `.fintech-k8s.yaml`, editor settings or CLI flags may say; every field optional. */
export interface ConfigInput {
  rules?: Record<string, SeveritySetting>;
  trustedRegistries?: string[];
  pciNamespaces?: string[];
  severityThreshold?: Severity;
  maxFileBytes?: number;
  /** "1.35", "v1.35" or "1.35.2"; must be a bundled minor (see kubernetesVersionOf). */
  kubernetesVersion?: string;
  /** Per chart directory (relative to the settings file): how to render it. */
  helm?: Record<string, HelmChartSettings>;
}

/** How a chart is rendered: the `helm template` flags a team passes in its pipeline. */
export interface HelmChartSettings {
  /** Values files, relative to the chart directory, in `-f` order (a later file wins). */
  values?: string[];
  /** `--set` assignments (`image.tag=1.4.2`). */
  set?: string[];
  releaseName?: string;
  namespace?: string;
}

const SEVERITY_SETTINGS = new Set(['off', 'info', 'warning', 'error']);

export function isSeverity(value: unknown): value is Severity {
  return value === 'info' || value === 'warning' || value === 'error';
}

export class ConfigError extends Error {}

/**
 * Parses `.fintech-k8s.yaml`. Throws ConfigError with every problem listed, so a typo in a rule id
 * or a severity is never silently ignored.
 */
export function parseConfigFile(text: string, knownRuleIds: ReadonlySet<string>): ConfigInput {
  let raw: unknown;
  try {
    raw = parse(text, { prettyErrors: true }) ?? {};
  } catch (error) {
    throw new ConfigError(`${CONFIG_FILE_NAME}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof raw !== 'object' || Array.isArray(raw) || raw === null)
    throw new ConfigError(`${CONFIG_FILE_NAME}: expected a mapping at the top level`);
  const problems: string[] = [];
  const input: ConfigInput = {};
  const source = raw as Record<string, unknown>;

  for (const key of Object.keys(source)) {
    if (!['rules', 'trustedRegistries', 'pciNamespaces', 'severityThreshold', 'maxFileBytes', 'kubernetesVersion', 'helm'].includes(key))
      problems.push(`unknown setting "${key}"`);
  }
  if (source.rules !== undefined) {
    if (typeof source.rules !== 'object' || source.rules === null || Array.isArray(source.rules))
      problems.push('"rules" must map rule ids to off|info|warning|error');
    else {
      input.rules = {};
      for (const [id, setting] of Object.entries(source.rules)) {
        if (!knownRuleIds.has(id)) problems.push(`unknown rule id "${id}" in rules`);
        else if (typeof setting !== 'string' || !SEVERITY_SETTINGS.has(setting))
          problems.push(`rule "${id}": expected off, info, warning or error`);
        else input.rules[id] = setting as SeveritySetting;
      }
    }
  }
  for (const key of ['trustedRegistries', 'pciNamespaces'] as const) {
    const value = source[key];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) problems.push(`"${key}" must be a list of strings`);
    else input[key] = value as string[];
  }
  if (source.severityThreshold !== undefined) {
    if (!isSeverity(source.severityThreshold)) problems.push('"severityThreshold" must be info, warning or error');
    else input.severityThreshold = source.severityThreshold;
  }
  if (source.maxFileBytes !== undefined) {
    if (typeof source.maxFileBytes !== 'number' || source.maxFileBytes <= 0) problems.push('"maxFileBytes" must be a positive number');
    else input.maxFileBytes = source.maxFileBytes;
  }
  if (source.kubernetesVersion !== undefined) {
    const minor = kubernetesVersionOf(source.kubernetesVersion);
    if (typeof minor !== 'string') problems.push(minor.error);
    else input.kubernetesVersion = minor;
  }
  if (source.helm !== undefined) input.helm = parseHelmSection(source.helm, problems);
  if (problems.length > 0) throw new ConfigError(`${CONFIG_FILE_NAME}: ${problems.join('; ')}`);
  return input;
}

const HELM_CHART_KEYS = new Set(['values', 'set', 'releaseName', 'namespace']);

function parseHelmSection(value: unknown, problems: string[]): Record<string, HelmChartSettings> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push('"helm" must map chart directories to their values, set, releaseName and namespace');
    return undefined;
  }
  const charts: Record<string, HelmChartSettings> = {};
  for (const [chart, settings] of Object.entries(value)) {
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
      problems.push(`helm "${chart}": expected values, set, releaseName or namespace`);
      continue;
    }
    const entry: HelmChartSettings = {};
    for (const [key, item] of Object.entries(settings as Record<string, unknown>)) {
      if (!HELM_CHART_KEYS.has(key)) problems.push(`helm "${chart}": unknown setting "${key}"`);
      else if (key === 'values' || key === 'set') {
        if (!Array.isArray(item) || item.some((v) => typeof v !== 'string'))
          problems.push(`helm "${chart}": "${key}" must be a list of strings`);
        else entry[key] = item as string[];
      } else if (typeof item !== 'string' || item === '') problems.push(`helm "${chart}": "${key}" must be a string`);
      else entry[key as 'releaseName' | 'namespace'] = item;
    }
    charts[chart.replace(/\/+$/, '') || '.'] = entry;
  }
  return charts;
}

/** Later inputs win; lists from later inputs replace earlier ones when given. */
export function resolveConfig(...inputs: (ConfigInput | undefined)[]): ResolvedConfig {
  const resolved: ResolvedConfig = { ...DEFAULT_CONFIG, rules: {} };
  for (const input of inputs) {
    if (!input) continue;
    Object.assign(resolved.rules, input.rules ?? {});
    if (input.trustedRegistries && input.trustedRegistries.length > 0) resolved.trustedRegistries = [...input.trustedRegistries];
    if (input.pciNamespaces && input.pciNamespaces.length > 0) resolved.pciNamespaces = [...input.pciNamespaces];
    if (input.severityThreshold) resolved.severityThreshold = input.severityThreshold;
    if (input.maxFileBytes) resolved.maxFileBytes = input.maxFileBytes;
    if (input.kubernetesVersion) resolved.kubernetesVersion = input.kubernetesVersion;
  }
  return resolved;
}

/** A Kubernetes version setting → the bundled minor it names, or why it cannot be used. */
export function kubernetesVersionOf(value: unknown, setting = '"kubernetesVersion"'): string | { error: string } {
  // YAML reads an unquoted 1.40 as the number 1.4: minors have two digits, so it means "1.40".
  const text = typeof value === 'number' ? value.toFixed(2) : value;
  const minor = typeof text === 'string' ? bundledMinor(text) : undefined;
  if (minor) return minor;
  return {
    error: `${setting} ${JSON.stringify(value)} is not bundled: use one of ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')}`,
  };
}
