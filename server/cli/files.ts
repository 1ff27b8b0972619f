// Which files a scan reads: named files as given, directories walked for *.yaml / *.yml. Symbolic links
// are followed, to files and to folders, as other scanners do; a folder or file reached twice (a link
// loop, two links to one target) is read once.
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

const YAML_FILE = /\.ya?ml$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'vendor']);

export interface CollectedFiles {
  files: string[];
  /** Paths that could not be read: [path, reason]. */
  errors: [string, string][];
}

interface Walk extends CollectedFiles {
  /** Real paths of the folders and files already taken. */
  seen: Set<string>;
}

export function collectFiles(paths: readonly string[]): CollectedFiles {
  const result: Walk = { files: [], errors: [], seen: new Set() };
  for (const path of paths) {
    if (path === '-') {
      result.files.push('-');
      continue;
    }
    try {
      if (statSync(path).isDirectory()) walk(path, result);
      else if (firstVisit(path, result)) result.files.push(path);
    } catch (error) {
      result.errors.push([path, describeFsError(error)]);
    }
  }
  return { files: result.files, errors: result.errors };
}

function walk(directory: string, result: Walk): void {
  let entries: Dirent[];
  try {
    if (!firstVisit(directory, result)) return;
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    result.errors.push([directory, describeFsError(error)]);
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    let kind: 'directory' | 'file' | undefined = entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : undefined;
    if (entry.isSymbolicLink()) {
      try {
        const target = statSync(path);
        kind = target.isDirectory() ? 'directory' : target.isFile() ? 'file' : undefined;
      } catch (error) {
        // A dangling link named like a manifest is worth a word; other dangling links are not ours.
        if (YAML_FILE.test(entry.name)) result.errors.push([path, describeFsError(error)]);
        continue;
      }
    }
    if (kind === 'directory') {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(path, result);
    } else if (kind === 'file' && YAML_FILE.test(entry.name) && !entry.name.startsWith('.fintech-k8s.')) {
      if (firstVisit(path, result)) result.files.push(path);
    }
  }
}

/** True the first time a real path is met; throws what realpath throws. */
function firstVisit(path: string, result: Walk): boolean {
  const real = realpathSync(path);
  if (result.seen.has(real)) return false;
  result.seen.add(real);
  return true;
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return (error as Error).message;
}
