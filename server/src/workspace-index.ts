// The Kubernetes objects of every YAML file in the workspace, so rules that look across files (a PDB, a
// ServiceAccount or a NetworkPolicy defined elsewhere) see in the editor what the CLI sees in a scan.
// Built at start, updated as files change; bounded in files and objects so a huge repository cannot
// exhaust the server's memory.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_CONFIG } from '../engine/config';
import { prepareFile } from '../engine/engine';
import type { ParsedSegment } from '../engine/parse';
import { recordAnchors } from '../engine/related';
import type { K8sObject } from '../engine/types';
import { ContextIndex } from '../engine/workspace';
import { rootOfFile, type RenderRoot } from '../render';

const YAML_FILE = /\.ya?ml$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'vendor', 'dist', 'out']);

export interface IndexLimits {
  maxFiles: number;
  maxObjects: number;
  maxFileBytes: number;
}

/**
 * What an update changed for other files: their objects (every open document needs a re-check), or only
 * where the objects are (documents whose findings link to them need one); undefined when nothing.
 */
export type IndexChange = 'objects' | 'positions' | undefined;

export const DEFAULT_LIMITS: IndexLimits = { maxFiles: 5_000, maxObjects: 50_000, maxFileBytes: DEFAULT_CONFIG.maxFileBytes };

/** Open documents whose shared context is kept between analyses (each holds references only). */
const CONTEXTS_KEPT = 8;

export class WorkspaceIndex {
  private readonly byUri = new Map<string, K8sObject[]>();
  private objectCount = 0;
  /** Counts every change of a file's objects, in total and per file, to tell when a context went stale. */
  private generation = 0;
  private readonly changesBy = new Map<string, number>();
  private readonly contexts = new Map<string, { othersGeneration: number; index: ContextIndex }>();
  /** Set when a limit was reached: the index is then partial, and says so once. */
  truncated: string | undefined;
  /** Charts (and other render roots) met while reading the workspace: indexed by what they render. */
  readonly roots = new Map<string, RenderRoot>();

  constructor(private readonly limits: IndexLimits = DEFAULT_LIMITS) {}

  /** Reads every YAML file below the folders (skipping dependency and build folders). */
  async build(folders: readonly string[]): Promise<void> {
    for (const folder of folders) await this.walk(folder);
  }

  /**
   * Replaces what a file contributes and says what changed for the others. `parse` lets an open document
   * reuse the parses of its analysis (the anchors need each document's position index).
   */
  update(uri: string, text: string, parse?: (text: string) => ParsedSegment): IndexChange {
    let objects: K8sObject[] = [];
    if (text.length <= this.limits.maxFileBytes) {
      const prepared = prepareFile({ file: uri, text }, DEFAULT_CONFIG, parse);
      // The index keeps objects, not text: record now where each is, for findings elsewhere that link to it.
      recordAnchors(prepared);
      objects = prepared.objects;
    }
    const before = this.byUri.get(uri);
    if (before && fingerprint(before) === fingerprint(objects)) {
      if (anchors(before) === anchors(objects)) return undefined;
      this.byUri.set(uri, objects);
      this.changed(uri);
      return 'positions';
    }
    if (!before && objects.length === 0) return undefined;
    if (!before && this.byUri.size >= this.limits.maxFiles) {
      this.truncated = `the workspace has more than ${this.limits.maxFiles} YAML files; rules see only the first ones`;
      return undefined;
    }
    if (this.objectCount - (before?.length ?? 0) + objects.length > this.limits.maxObjects) {
      this.truncated = `the workspace has more than ${this.limits.maxObjects} Kubernetes objects; rules see only the first ones`;
      return undefined;
    }
    this.objectCount += objects.length - (before?.length ?? 0);
    this.byUri.set(uri, objects);
    this.changed(uri);
    return 'objects';
  }

  /** Replaces what a rendered root contributes (its key is the root's folder URI). */
  replace(key: string, objects: K8sObject[]): IndexChange {
    const before = this.byUri.get(key);
    if (before && fingerprint(before) === fingerprint(objects)) return undefined;
    if (this.objectCount - (before?.length ?? 0) + objects.length > this.limits.maxObjects) return undefined;
    this.objectCount += objects.length - (before?.length ?? 0);
    this.byUri.set(key, objects);
    this.changed(key);
    return 'objects';
  }

  async updateFromDisk(uri: string, path: string): Promise<boolean> {
    // A chart's templates and values are not manifests: the chart's rendered objects stand for them.
    const root = rootOfFile(path);
    if (root) {
      this.roots.set(root.dir, root);
      return false;
    }
    try {
      if ((await stat(path)).size > this.limits.maxFileBytes) return this.remove(uri);
      return this.update(uri, await readFile(path, 'utf8')) !== undefined;
    } catch {
      return this.remove(uri);
    }
  }

  remove(uri: string): boolean {
    const before = this.byUri.get(uri);
    if (!before) return false;
    this.objectCount -= before.length;
    this.byUri.delete(uri);
    this.changed(uri);
    return before.length > 0;
  }

  /**
   * contextFor(uri), indexed, and kept while no other file changes: typing in one document changes only
   * that document, so its analyses share one index of the rest of the workspace.
   */
  contextIndexFor(uri: string): ContextIndex {
    const othersGeneration = this.generation - (this.changesBy.get(uri) ?? 0);
    const kept = this.contexts.get(uri);
    if (kept && kept.othersGeneration === othersGeneration) return kept.index;
    const index = new ContextIndex(this.contextFor(uri));
    this.contexts.delete(uri);
    if (this.contexts.size >= CONTEXTS_KEPT) this.contexts.delete(this.contexts.keys().next().value!);
    this.contexts.set(uri, { othersGeneration, index });
    return index;
  }

  /** Grows each time the file's objects or their positions change in the index. */
  versionOf(uri: string): number {
    return this.changesBy.get(uri) ?? 0;
  }

  private changed(uri: string): void {
    this.generation++;
    this.changesBy.set(uri, (this.changesBy.get(uri) ?? 0) + 1);
  }

  /** Every object of the workspace but those of `uri` (the analysis brings its own, as typed). */
  contextFor(uri: string): K8sObject[] {
    const objects: K8sObject[] = [];
    for (const [file, fileObjects] of this.byUri) if (file !== uri) objects.push(...fileObjects);
    return objects;
  }

  /** Files that hold Kubernetes objects. */
  uris(): string[] {
    return [...this.byUri.entries()].filter(([, objects]) => objects.length > 0).map(([uri]) => uri);
  }

  get size(): { files: number; objects: number } {
    return { files: this.byUri.size, objects: this.objectCount };
  }

  private async walk(directory: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith('.')) await this.walk(path);
      } else if (entry.isFile() && YAML_FILE.test(entry.name)) {
        await this.updateFromDisk(pathToFileURL(path).href, path);
      }
    }
  }
}

/** Identity and content of a file's objects, to tell whether an edit changed what other files see. */
function fingerprint(objects: readonly K8sObject[]): string {
  return JSON.stringify(objects.map((o) => o.value));
}

/** Where a file's objects are: an edit that only moves them still moves the links other files show. */
function anchors(objects: readonly K8sObject[]): string {
  return objects.map((o) => (o.anchor ? `${o.anchor.start.line}:${o.anchor.start.character}` : '')).join(',');
}
