// Finds the `.fintech-k8s.yaml` that governs a file: the nearest one in its folder or a folder above,
// stopping at a boundary (the workspace folder, the repository root) when one is given. The CLI and the
// server agree on this.
import { existsSync } from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { CONFIG_FILE_NAME } from './config';

export function findConfigFile(startDirectory: string, boundary?: string): string | undefined {
  let directory = startDirectory;
  for (;;) {
    const candidate = join(directory, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    if (boundary !== undefined && !isInside(directory, boundary)) return undefined;
    if (boundary !== undefined && directory === boundary) return undefined;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** What marks the root of a checkout (a `.git` folder, or the `.git` file of a worktree or submodule). */
const REPOSITORY_MARKERS = ['.git', '.hg', '.svn'];

/**
 * Where the CLI's search for a settings file stops: the root of the repository holding `start`; outside
 * any repository, the working directory when `start` is inside it, else `start` itself.
 */
export function configSearchBoundary(start: string, cwd: string): string {
  for (let directory = start; ;) {
    if (REPOSITORY_MARKERS.some((marker) => existsSync(join(directory, marker)))) return directory;
    const parent = dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  return isInside(start, cwd) ? cwd : start;
}
