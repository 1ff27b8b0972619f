// The argument lists of the helm runs the client makes (upgrade --install, rollback, version). Pure: the
// caller runs them with lib/programs/run-program (never a shell). The cluster is always named explicitly
// (--kube-context, --kubeconfig, --namespace), so helm cannot drift to another context than the one shown.
import { delimiter } from 'node:path';
import yaml from 'js-yaml';

/** Where helm talks to: the kubeconfig files the extension read, the context and namespace it shows. */
export interface HelmTarget {
  /** Kubeconfig files in precedence order; empty for in-cluster credentials. */
  kubeconfigFiles: readonly string[];
  context?: string;
  namespace: string;
}

export interface HelmInvocation {
  args: string[];
  /** Environment entries over the current environment. */
  env: Record<string, string>;
}

export interface UpgradeInstallOptions {
  release: string;
  /** Absolute directory of the chart. */
  chartDir: string;
  target: HelmTarget;
  /** Helm's major version (3 or 4): the flag that rolls back a failed upgrade differs. */
  helmMajor: number;
  valuesFiles?: readonly string[];
  set?: readonly string[];
  timeoutSeconds: number;
  /** Recorded as the revision's description (`helm history` shows it), e.g. why the gate was overridden. */
  description?: string;
}

export interface RollbackOptions {
  release: string;
  revision: number;
  target: HelmTarget;
  timeoutSeconds: number;
}

// Helm's own rule for release names (DNS-1123 label, at most 53 characters); checked here so a name can
// never be read as a flag.
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_RELEASE_NAME = 53;

/** Undefined when the name is a valid release name, else why not. */
export function releaseNameProblem(name: string): string | undefined {
  if (!RELEASE_NAME.test(name))
    return `"${name}" is not a valid release name (lower-case letters, digits and '-', starting and ending with a letter or digit)`;
  if (name.length > MAX_RELEASE_NAME) return `"${name}" is longer than ${MAX_RELEASE_NAME} characters, helm's limit for release names`;
  return undefined;
}

export function versionArgs(): string[] {
  return ['version', '--short'];
}

/** `v3.22.1+g1234567` (or helm 2's `Client: v2…`, or a BuildInfo line) → 3; undefined when not helm's answer. */
export function parseHelmMajor(output: string): number | undefined {
  // A helm built from source without release flags says just `v3.22`.
  const match = /\bv(\d+)\.\d+(?:\.\d+)?\b/.exec(output);
  return match ? Number(match[1]) : undefined;
}

/** `helm upgrade --install --wait` that rolls itself back when the rollout fails; prints the release as JSON. */
export function upgradeInstallArgs(options: UpgradeInstallOptions): HelmInvocation {
  const problem = releaseNameProblem(options.release);
  if (problem) throw new Error(problem);
  if (options.helmMajor < 3) throw new Error(`helm ${options.helmMajor} is not supported: install helm 3 or 4`);
  const target = targetArgs(options.target);
  const args = [
    'upgrade',
    '--install',
    options.release,
    options.chartDir,
    ...target.args,
    '--wait',
    // Helm 4 renamed --atomic; both roll the release back to its last good revision when the wait fails.
    options.helmMajor >= 4 ? '--rollback-on-failure' : '--atomic',
    `--timeout=${options.timeoutSeconds}s`,
    ...(options.valuesFiles ?? []).map((file) => `--values=${file}`),
    ...(options.set ?? []).map((value) => `--set=${value}`),
    ...(options.description ? [`--description=${options.description}`] : []),
    '--output=json',
  ];
  return { args, env: target.env };
}

/** `helm rollback <release> <revision> --wait`. */
export function rollbackArgs(options: RollbackOptions): HelmInvocation {
  const problem = releaseNameProblem(options.release);
  if (problem) throw new Error(problem);
  if (!Number.isInteger(options.revision) || options.revision < 1) throw new Error(`revision ${options.revision} is not a revision number`);
  const target = targetArgs(options.target);
  return {
    args: ['rollback', options.release, String(options.revision), ...target.args, '--wait', `--timeout=${options.timeoutSeconds}s`],
    env: target.env,
  };
}

/**
 * One kubeconfig file goes in --kubeconfig; several (KUBECONFIG with a list) go in KUBECONFIG, which helm
 * merges as kubectl does, because --kubeconfig takes one path.
 */
export function targetArgs(target: HelmTarget): HelmInvocation {
  const args = [`--namespace=${target.namespace}`];
  if (target.context) args.push(`--kube-context=${target.context}`);
  const env: Record<string, string> = {};
  if (target.kubeconfigFiles.length === 1) args.push(`--kubeconfig=${target.kubeconfigFiles[0]}`);
  else if (target.kubeconfigFiles.length > 1) env.KUBECONFIG = target.kubeconfigFiles.join(delimiter);
  return { args, env };
}

/** The objects of a release manifest (in helm's order), for the output: kind, name and written namespace. */
export function manifestObjects(manifest: string): { kind: string; name: string; namespace?: string }[] {
  const objects: { kind: string; name: string; namespace?: string }[] = [];
  let documents: unknown[];
  try {
    documents = yaml.loadAll(manifest);
  } catch {
    return objects;
  }
  for (const document of documents) {
    const value = document as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
    if (typeof value?.kind !== 'string' || typeof value.metadata?.name !== 'string') continue;
    const namespace = typeof value.metadata.namespace === 'string' ? value.metadata.namespace : undefined;
    objects.push({ kind: value.kind, name: value.metadata.name, ...(namespace ? { namespace } : {}) });
  }
  return objects;
}
