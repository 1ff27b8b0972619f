// The overlays of a workspace, for the editor: which roots build a given file (a base shared by dev and
// prod belongs to both). The folders are walked once for kustomization files; the answer is kept until a
// kustomization changes (a new patch or resource changes what belongs to which root).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isKustomizationFile } from '../../engine/source-map/kustomization';
import type { ReadText } from '../../engine/source-map/kustomize-graph';
import type { RenderRoot } from '../types';
import { discoverKustomizeRoots, sourceReader } from './discover';

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'vendor', 'dist', 'out']);
const MAX_DIRECTORIES = 20_000;

export class KustomizeWorkspace {
  private kustomizations: string[] | undefined;
  private roots: RenderRoot[] | undefined;
  private byInput: Map<string, RenderRoot[]> | undefined;

  constructor(
    private readonly folders: readonly string[],
    /** Open editors first, then disk: an unsaved kustomization decides what belongs to its root. */
    private readonly read: ReadText = sourceReader(),
  ) {}

  /** A kustomization file was edited, created or deleted: what belongs to which root is found again. */
  invalidate(options: { rescan?: boolean } = {}): void {
    if (options.rescan) this.kustomizations = undefined;
    this.roots = undefined;
    this.byInput = undefined;
  }

  allRoots(): readonly RenderRoot[] {
    if (!this.roots) {
      this.kustomizations ??= this.folders.flatMap((folder) => kustomizationFilesUnder(folder));
      this.roots = discoverKustomizeRoots(this.kustomizations, this.read);
      this.byInput = new Map();
      for (const root of this.roots)
        for (const input of root.inputs) {
          const list = this.byInput.get(input) ?? [];
          list.push(root);
          this.byInput.set(input, list);
        }
    }
    return this.roots;
  }

  /** The roots whose build reads the file (its own kustomization, a base, a patch, a generator input). */
  rootsIncluding(file: string): readonly RenderRoot[] {
    this.allRoots();
    return this.byInput!.get(file) ?? [];
  }
}

function kustomizationFilesUnder(folder: string): string[] {
  const found: string[] = [];
  const queue = [folder];
  let visited = 0;
  while (queue.length > 0 && visited++ < MAX_DIRECTORIES) {
    const dir = queue.shift()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) queue.push(join(dir, entry.name));
      } else if (entry.isFile() && isKustomizationFile(entry.name)) found.push(join(dir, entry.name));
    }
  }
  return found;
}
