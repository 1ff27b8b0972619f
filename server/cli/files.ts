// Which files a scan reads: named files as given, directories walked for *.yaml / *.yml.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const YAML_FILE = /\.ya?ml$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'vendor']);

export interface CollectedFiles {
  files: string[];
  /** Paths that could not be read: [path, reason]. */
  errors: [string, string][];
}

export function collectFiles(paths: readonly string[]): CollectedFiles {
  const result: CollectedFiles = { files: [], errors: [] };
  for (const path of paths) {
    if (path === '-') {
      result.files.push('-');
      continue;
    }
    try {
      if (statSync(path).isDirectory()) walk(path, result);
      else result.files.push(path);
    } catch (error) {
      result.errors.push([path, describeFsError(error)]);
    }
  }
  return result;
}

function walk(directory: string, result: CollectedFiles): void {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    result.errors.push([directory, describeFsError(error)]);
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(path, result);
    } else if (entry.isFile() && YAML_FILE.test(entry.name) && !entry.name.startsWith('.fintech-k8s.')) {
      result.files.push(path);
    }
  }
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return (error as Error).message;
}
