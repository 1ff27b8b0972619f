// Runs one tool over a corpus as a child process (so every tool pays its own process start) and turns
// its output into hits: check id → the objects it flagged, each object named `Kind/name` (the corpora
// keep kind/name unique, and kubeconform and Polaris name objects no other way).
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Installed } from './install';

export type Hits = Map<string, Set<string>>;

export interface Parsed {
  hits: Hits;
  /** Objects the tool says it read: 0 means it skipped the corpus, and its timing means nothing. */
  seen: number;
}

export interface ToolRun extends Parsed {
  seconds: number;
}

export interface Tool {
  name: string;
  version: string;
  /** Command line for a corpus directory. */
  command(dir: string): { bin: string; args: string[]; env?: NodeJS.ProcessEnv };
  /** Exit codes that mean "ran fine" (most tools exit non-zero when they find something). */
  okStatus: number[];
  parse(stdout: string): Parsed;
}

const ROOT = resolve(__dirname, '..', '..');

function add(hits: Hits, check: string, object: string): void {
  let objects = hits.get(check);
  if (!objects) hits.set(check, (objects = new Set()));
  objects.add(object);
}

/** One timed run; throws with the tool's own words when it fails. */
export function runTool(tool: Tool, dir: string): ToolRun {
  const { bin, args, env } = tool.command(dir);
  const started = process.hrtime.bigint();
  const result = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 30, env: env ?? process.env, timeout: 30 * 60_000 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.error || !tool.okStatus.includes(result.status ?? -1))
    throw new Error(
      `${tool.name} exited ${result.status}: ${result.error?.message ?? result.stderr.trim().split('\n').slice(-5).join(' | ')}`,
    );
  const parsed = tool.parse(result.stdout);
  if (parsed.seen === 0)
    throw new Error(`${tool.name} read no object in ${dir}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return { seconds, ...parsed };
}

export function ours(version: string): Tool {
  return {
    name: 'fintech-k8s',
    version,
    command: (dir) => ({ bin: process.execPath, args: [join(ROOT, 'dist', 'cli.js'), 'scan', dir, '--format', 'json'] }),
    okStatus: [0, 1],
    parse(stdout) {
      const hits: Hits = new Map();
      const report = JSON.parse(stdout) as {
        summary: { objects: number };
        files: { findings: { ruleId: string; object?: string; suppressed?: unknown }[] }[];
      };
      for (const file of report.files)
        for (const finding of file.findings) {
          if (finding.suppressed || !finding.object) continue;
          // "Kind/namespace/name" or "Kind/name" for cluster-scoped objects.
          const parts = finding.object.split('/');
          add(hits, finding.ruleId, `${parts[0]}/${parts[parts.length - 1]}`);
        }
      return { hits, seen: report.summary.objects };
    },
  };
}

export function checkov(peer: Installed): Tool {
  return {
    name: peer.name,
    version: peer.version,
    command: (dir) => ({
      bin: peer.bin,
      args: ['-d', dir, '--framework', 'kubernetes', '-o', 'json', '--quiet', '--compact', '--skip-download'],
      env: peer.env,
    }),
    okStatus: [0, 1],
    parse(stdout) {
      const hits: Hits = new Map();
      // One report per framework: an object for one, a list for several.
      const parsed = JSON.parse(stdout) as unknown;
      const reports = (Array.isArray(parsed) ? parsed : [parsed]) as {
        summary?: { resource_count: number };
        results?: { failed_checks: { check_id: string; resource: string }[] };
      }[];
      let seen = 0;
      for (const report of reports) seen += report.summary?.resource_count ?? 0;
      for (const report of reports)
        for (const failed of report.results?.failed_checks ?? []) {
          // "Kind.namespace.name"; names may hold dots, kinds and namespaces never do.
          const [kind, , ...name] = failed.resource.split('.');
          add(hits, failed.check_id, `${kind}/${name.join('.')}`);
        }
      return { hits, seen };
    },
  };
}

interface PolarisResult {
  Success: boolean;
}
type PolarisResults = Record<string, PolarisResult> | null;

export function polaris(peer: Installed): Tool {
  return {
    name: peer.name,
    version: peer.version,
    command: (dir) => ({
      bin: peer.bin,
      args: ['audit', '--audit-path', dir, '--format', 'json', '--only-show-failed-tests'],
      env: peer.env,
    }),
    okStatus: [0],
    parse(stdout) {
      const hits: Hits = new Map();
      const report = JSON.parse(stdout) as {
        Results: {
          Kind: string;
          Name: string;
          Results: PolarisResults;
          PodResult?: { Results: PolarisResults; ContainerResults?: { Results: PolarisResults }[] };
        }[];
      };
      for (const object of report.Results ?? []) {
        const key = `${object.Kind}/${object.Name}`;
        const levels = [object.Results, object.PodResult?.Results, ...(object.PodResult?.ContainerResults ?? []).map((c) => c.Results)];
        for (const results of levels)
          for (const [check, result] of Object.entries(results ?? {})) if (!result.Success) add(hits, check, key);
      }
      return { hits, seen: report.Results?.length ?? 0 };
    },
  };
}

export const KUBECONFORM_CHECK = 'schema';

export function kubeconform(peer: Installed, schemaDir: string, minor: string): Tool {
  return {
    name: peer.name,
    version: peer.version,
    command: (dir) => ({
      bin: peer.bin,
      args: [
        '-strict',
        '-summary',
        '-output',
        'json',
        '-kubernetes-version',
        `${minor}.0`,
        '-schema-location',
        join(schemaDir, '{{ .ResourceKind }}{{ .KindSuffix }}.json'),
        dir,
      ],
      env: peer.env,
    }),
    okStatus: [0, 1],
    parse(stdout) {
      const hits: Hits = new Map();
      const report = JSON.parse(stdout) as {
        resources?: { kind: string; name: string; status: string }[];
        summary: { valid: number; invalid: number; errors: number; skipped: number };
      };
      for (const resource of report.resources ?? [])
        if (resource.status === 'statusInvalid' || resource.status === 'statusError')
          add(hits, KUBECONFORM_CHECK, `${resource.kind}/${resource.name}`);
      const { valid, invalid, errors, skipped } = report.summary;
      return { hits, seen: valid + invalid + errors + skipped };
    },
  };
}
