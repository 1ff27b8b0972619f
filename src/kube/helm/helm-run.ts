// Runs helm for the client's deploy and rollback: the argument lists of helm-args.ts through the shared
// program runner (never a shell). What helm prints back is read for the revision and objects only; the
// values helm echoes in its JSON output are never kept or shown.
import { ProgramError, runProgram, type ProgramRun } from '../../../lib/programs/run-program';
import { scrubCredentials } from '../errors';
import {
  manifestObjects,
  parseHelmMajor,
  rollbackArgs,
  upgradeInstallArgs,
  versionArgs,
  type RollbackOptions,
  type UpgradeInstallOptions,
} from './helm-args';

export type RunHelm = (run: ProgramRun) => ReturnType<typeof runProgram>;

export interface HelmDeployed {
  ok: true;
  release: string;
  namespace: string;
  revision: number;
  status: string;
  objects: { kind: string; name: string; namespace?: string }[];
}

export interface HelmFailed {
  ok: false;
  /** Helm's own error lines (credentials scrubbed). */
  message: string;
  /** True when helm says it rolled the release back (--atomic / --rollback-on-failure). */
  rolledBack: boolean;
}

/** Helm's major version, or an Error that says why helm cannot be used. */
export async function helmMajorVersion(program: string, options: { signal?: AbortSignal; run?: RunHelm } = {}): Promise<number> {
  const result = await (options.run ?? runProgram)({ program, args: versionArgs(), signal: options.signal, timeoutMs: 30_000 });
  const major = parseHelmMajor(result.stdout);
  if (result.exitCode !== 0 || major === undefined)
    throw new Error(
      `${program} does not answer \`helm version\` like helm: ${firstLines(result.stderr || result.stdout) || `exit code ${result.exitCode}`}`,
    );
  return major;
}

/** `helm upgrade --install --wait` with rollback on failure. Not cancellable: a killed upgrade leaves the release pending. */
export async function helmUpgradeInstall(
  program: string,
  options: UpgradeInstallOptions & { run?: RunHelm },
): Promise<HelmDeployed | HelmFailed> {
  const { args, env } = upgradeInstallArgs(options);
  const result = await runHelm(options.run, { program, args, env, timeoutMs: helmTimeoutMs(options.timeoutSeconds) });
  if (result.exitCode !== 0) return failed(result.stderr || result.stdout);
  let release: { name?: unknown; namespace?: unknown; version?: unknown; info?: { status?: unknown }; manifest?: unknown };
  try {
    release = JSON.parse(result.stdout);
  } catch {
    return { ok: false, message: 'helm finished but its output is not the release JSON it was asked for', rolledBack: false };
  }
  return {
    ok: true,
    release: typeof release.name === 'string' ? release.name : options.release,
    namespace: typeof release.namespace === 'string' ? release.namespace : options.target.namespace,
    revision: typeof release.version === 'number' ? release.version : 0,
    status: typeof release.info?.status === 'string' ? release.info.status : 'unknown',
    objects: manifestObjects(typeof release.manifest === 'string' ? release.manifest : ''),
  };
}

/** `helm rollback <release> <revision> --wait`. */
export async function helmRollback(
  program: string,
  options: RollbackOptions & { run?: RunHelm },
): Promise<{ ok: true; output: string } | HelmFailed> {
  const { args, env } = rollbackArgs(options);
  const result = await runHelm(options.run, { program, args, env, timeoutMs: helmTimeoutMs(options.timeoutSeconds) });
  if (result.exitCode !== 0) return failed(result.stderr || result.stdout);
  return { ok: true, output: firstLines(result.stdout) };
}

async function runHelm(run: RunHelm | undefined, program: ProgramRun): ReturnType<typeof runProgram> {
  try {
    return await (run ?? runProgram)(program);
  } catch (error) {
    if (error instanceof ProgramError) return { exitCode: null, stdout: '', stderr: `Error: ${error.message}` };
    throw error;
  }
}

/** Helm gets its own --timeout; the process gets a minute more before it is stopped. */
function helmTimeoutMs(timeoutSeconds: number): number {
  return (timeoutSeconds + 60) * 1000;
}

function failed(output: string): HelmFailed {
  const errors = output
    .split('\n')
    .filter((line) => /^Error:/.test(line))
    .map((line) => line.replace(/^Error:\s*/, ''));
  const message = scrubCredentials(errors.join('; ') || firstLines(output) || 'helm failed without a message');
  return { ok: false, message, rolledBack: /has been rolled back|rolled back due to|rollback-on-failure/i.test(output) };
}

function firstLines(text: string, count = 5): string {
  return scrubCredentials(text.trim().split('\n').slice(0, count).join('\n'));
}
