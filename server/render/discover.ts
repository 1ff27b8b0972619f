// Which files are rendered rather than linted as they are: every root (chart, kustomization) found among
// a set of files, and the files those roots claim. A claimed file is linted only through its root's output.
import { resolve } from 'node:path';
import { RENDERERS } from './registry';
import type { RenderRoot } from './types';

export interface DiscoveredRoots {
  roots: RenderRoot[];
  /** Absolute paths of the files that feed a root: not linted on their own. */
  claimed: Set<string>;
}

export function discoverRoots(files: readonly string[]): DiscoveredRoots {
  const absolute = files.filter((file) => file !== '-').map((file) => resolve(file));
  const roots = RENDERERS.flatMap((renderer) => renderer.findRoots(absolute));
  const claimed = new Set<string>();
  for (const root of roots) for (const input of root.inputs) claimed.add(resolve(input));
  return { roots, claimed };
}

/** The root a file feeds, when it feeds one (the first found: a chart before an overlay that lists its output). */
export function rootOfFile(file: string): RenderRoot | undefined {
  const path = resolve(file);
  return discoverRoots([path]).roots.find((root) => root.inputs.some((input) => resolve(input) === path));
}
