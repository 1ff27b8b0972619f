// Several build roots share files (a base under dev, staging and prod): their results become one per
// file, with a finding once per source line and rule, naming the roots it occurs in.
import { basename, dirname, sep } from 'node:path';
import type { FileResult, Finding } from '../types';

export interface RootResults {
  /** How the root is named in messages ("prod"). */
  name: string;
  results: readonly FileResult[];
}

export function mergeRootResults(roots: readonly RootResults[], noun = 'overlay'): FileResult[] {
  const sharedBy = new Map<string, string[]>();
  for (const root of roots)
    for (const result of root.results) {
      const names = sharedBy.get(result.file) ?? [];
      if (!names.includes(root.name)) names.push(root.name);
      sharedBy.set(result.file, names);
    }
  const merged = new Map<string, FileResult>();
  const occurrences = new Map<string, { finding: Finding; roots: string[] }>();
  const problemsSeen = new Set<string>();
  for (const root of roots)
    for (const result of root.results) {
      let target = merged.get(result.file);
      if (!target) merged.set(result.file, (target = { file: result.file, findings: [], problems: [], objects: [] }));
      target.objects.push(...result.objects);
      for (const problem of result.problems) {
        const key = `${problem.file}\u0000${problem.code}\u0000${problem.span.start}\u0000${problem.message}`;
        if (problemsSeen.has(key)) continue;
        problemsSeen.add(key);
        target.problems.push(problem);
      }
      for (const finding of result.findings) {
        const key = `${finding.file}\u0000${finding.ruleId}\u0000${finding.span.start}\u0000${finding.span.end}`;
        const seen = occurrences.get(key);
        if (seen) {
          if (!seen.roots.includes(root.name)) seen.roots.push(root.name);
          continue;
        }
        const copy = { ...finding };
        occurrences.set(key, { finding: copy, roots: [root.name] });
        target.findings.push(copy);
      }
    }
  for (const { finding, roots: names } of occurrences.values()) {
    if ((sharedBy.get(finding.file)?.length ?? 0) < 2) continue;
    finding.message = `${finding.message} (in ${names.length === 1 ? noun : `${noun}s`} ${names.join(', ')})`;
  }
  return [...merged.values()];
}

/** Short names for root directories: the folder name, or as many trailing folders as tell them apart. */
export function rootNames(dirs: readonly string[]): string[] {
  const parts = dirs.map((dir) => dir.split(sep).filter(Boolean));
  return dirs.map((dir, i) => {
    for (let depth = 1; depth <= parts[i].length; depth++) {
      const name = parts[i].slice(-depth).join('/');
      if (parts.every((other, j) => j === i || other.slice(-depth).join('/') !== name)) return name;
    }
    return basename(dir) || dirname(dir);
  });
}
