// Runs one of the programs users already trust (helm, kustomize) with an argument list, never a shell:
// bounded in time and output, cancellable, and with an environment that cannot reach the network.
import { spawn } from 'node:child_process';

export interface ProgramRun {
  /** Absolute path, or a bare name looked up on PATH. */
  program: string;
  args: readonly string[];
  cwd?: string;
  /** Extra environment entries, over the current environment. */
  env?: Record<string, string>;
  /** Text written to the program's standard input. */
  stdin?: string;
  /** Abandon the run when this fires (a newer edit arrived). */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Stop reading (and fail) beyond this many bytes of standard output. */
  maxOutputBytes?: number;
}

export interface ProgramResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export class ProgramError extends Error {
  constructor(
    message: string,
    readonly reason: 'not-found' | 'timeout' | 'cancelled' | 'too-much-output' | 'failed-to-start',
  ) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;
const MAX_STDERR = 256 * 1024;

/**
 * Resolves with the exit code and output of a finished run (a non-zero exit is a result, not an error:
 * helm's template errors are findings); rejects with a ProgramError when the run itself failed.
 */
export function runProgram(run: ProgramRun): Promise<ProgramResult> {
  return new Promise((resolvePromise, reject) => {
    if (run.signal?.aborted) return reject(new ProgramError(`${run.program}: cancelled`, 'cancelled'));
    const child = spawn(run.program, [...run.args], {
      cwd: run.cwd,
      env: { ...process.env, ...run.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let failure: ProgramError | undefined;
    const stop = (error: ProgramError) => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () => stop(new ProgramError(`${run.program} took longer than ${(run.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s`, 'timeout')),
      run.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
    const onAbort = () => stop(new ProgramError(`${run.program}: cancelled`, 'cancelled'));
    run.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > (run.maxOutputBytes ?? DEFAULT_MAX_OUTPUT))
        return stop(
          new ProgramError(
            `${run.program} wrote more than ${Math.round((run.maxOutputBytes ?? DEFAULT_MAX_OUTPUT) / 1048576)} MB`,
            'too-much-output',
          ),
        );
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      // Keep the start of stderr only: the first error is the one that explains the rest.
      if (errBytes < MAX_STDERR) err.push(chunk);
      errBytes += chunk.length;
    });
    child.stdin.on('error', () => undefined); // a program that exits before reading its input
    child.stdin.end(run.stdin ?? '');
    const finish = () => {
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish();
      reject(
        error.code === 'ENOENT'
          ? new ProgramError(`${run.program} was not found`, 'not-found')
          : new ProgramError(`${run.program} could not be started: ${error.message}`, 'failed-to-start'),
      );
    });
    child.on('close', (code) => {
      finish();
      if (failure) return reject(failure);
      resolvePromise({ exitCode: code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}
