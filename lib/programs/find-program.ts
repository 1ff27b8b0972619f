// Finds the helm or kustomize to run: the configured path, else the first match on PATH. Nothing is ever
// downloaded: with neither, the caller says how to get findings for the chart or overlay.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** The executable at `configured` (when set), else `name` on PATH, else undefined. */
export function findProgram(name: string, configured?: string, path = process.env.PATH ?? ''): string | undefined {
  if (configured && configured.trim() !== '') {
    const candidate = configured.trim();
    if (isAbsolute(candidate)) return isExecutable(candidate) ? candidate : undefined;
    return findOnPath(candidate, path);
  }
  return findOnPath(name, path);
}

function findOnPath(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
