// Kustomize build roots in a set of files: the kustomizations no other one includes, each with every file
// its build reads (so none of them is linted on its own as a standalone manifest).
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { findRoots, kustomizationIn, loadGraph, type ReadText } from '../../engine/source-map/kustomize-graph';
import { isKustomizationFile } from '../../engine/source-map/kustomization';
import type { RenderRoot } from '../types';

/** Reads a file from unsaved buffers first, then disk; undefined for anything that is not a readable file. */
export function sourceReader(unsaved?: ReadonlyMap<string, string>, maxBytes = 4 * 1024 * 1024): ReadText {
  return (file) => {
    const open = unsaved?.get(file);
    if (open !== undefined) return open;
    try {
      const stat = statSync(file);
      if (!stat.isFile() || stat.size > maxBytes) return undefined;
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** How far above a file a kustomization that reads it is looked for (kustomize reads only files below a kustomization). */
const LEVELS_UP = 5;

/**
 * The roots among `files` (any files of a workspace or a scanned folder; the kustomization files count).
 * A file that none of them reads but a kustomization near it does (`scan base/deployment.yaml`) brings
 * that kustomization in as a root, so it is built rather than linted as a partial object.
 */
export function discoverKustomizeRoots(files: readonly string[], read: ReadText = sourceReader()): RenderRoot[] {
  const kustomizations = files.filter(isKustomizationFile).flatMap((file) => {
    const text = read(file);
    return text === undefined ? [] : [{ file, text }];
  });
  const roots = findRoots(kustomizations).map((dir) => rootAt(dir, read) ?? { kind: 'kustomize' as const, dir, inputs: [] });
  const claimed = new Set(roots.flatMap((root) => root.inputs));
  const near = new Map<string, RenderRoot | undefined>();
  for (const file of files) {
    if (claimed.has(file) || isKustomizationFile(file)) continue;
    let dir = dirname(file);
    for (let level = 0; level <= LEVELS_UP; level++, dir = dirname(dir)) {
      if (!near.has(dir)) near.set(dir, kustomizationIn(dir, read) ? rootAt(dir, read) : undefined);
      const root = near.get(dir);
      if (!root?.inputs.includes(file)) continue;
      if (!roots.some((known) => known.dir === root.dir)) roots.push(root);
      for (const input of root.inputs) claimed.add(input);
      break;
    }
  }
  return roots;
}

/** The root of a kustomization directory with its inputs; undefined when the directory holds no kustomization. */
export function rootAt(dir: string, read: ReadText = sourceReader()): RenderRoot | undefined {
  const graph = loadGraph(dir, read);
  return graph && { kind: 'kustomize', dir, inputs: graph.inputs };
}
