// The kustomizations of a workspace as a graph: which directories are build roots (no other kustomization
// uses them as a resource or component), and everything one root's build reads. Pure: the caller hands
// in a reader (disk, or unsaved buffers first).
import { dirname, join } from 'node:path';
import { KUSTOMIZATION_FILE_NAMES, parseKustomization, type Kustomization, type Reference } from './kustomization';
import { sourceDocsOf, type SourceDoc } from './source-doc';

/** Text of a file, or undefined when there is no such file. */
export type ReadText = (file: string) => string | undefined;

export type ResourceNode = { kind: 'file'; ref: Reference; docs: SourceDoc[] } | { kind: 'dir'; ref: Reference; node: KustomizeNode };

export interface KustomizeNode {
  k: Kustomization;
  resources: ResourceNode[];
  components: { ref: Reference; node: KustomizeNode }[];
}

export interface GraphIssue {
  /** The kustomization and the entry that causes it. */
  file: string;
  ref: Reference;
  message: string;
}

export interface KustomizeGraph {
  root: KustomizeNode;
  /** Every file the build reads, kustomization files included. */
  inputs: string[];
  /** Kustomization files among them. */
  kustomizations: string[];
  /** Remote entries (never fetched) and entries naming nothing: the build is not run. */
  issues: GraphIssue[];
  /** The documents of a patch file of the graph (strategic-merge patches by their kind and name). */
  patchDocs(file: string): SourceDoc[];
}

/** The kustomization file of a directory, if it has one. */
export function kustomizationIn(dir: string, read: ReadText): { file: string; text: string } | undefined {
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const file = join(dir, name);
    const text = read(file);
    if (text !== undefined) return { file, text };
  }
  return undefined;
}

export function loadGraph(dir: string, read: ReadText): KustomizeGraph | undefined {
  const top = kustomizationIn(dir, read);
  if (!top) return undefined;
  const nodes = new Map<string, KustomizeNode>();
  const inputs = new Set<string>();
  const kustomizations: string[] = [];
  const issues: GraphIssue[] = [];
  const loading = new Set<string>();

  const load = (file: string, text: string): KustomizeNode => {
    const k = parseKustomization(file, text);
    const known = nodes.get(k.dir);
    if (known) return known;
    const node: KustomizeNode = { k, resources: [], components: [] };
    nodes.set(k.dir, node);
    loading.add(k.dir);
    inputs.add(file);
    kustomizations.push(file);
    /** The kustomization the entry names, null for a cycle (already reported), undefined for none. */
    const child = (ref: Reference): KustomizeNode | null | undefined => {
      const found = kustomizationIn(ref.path!, read);
      if (!found) return undefined;
      if (loading.has(dirname(found.file))) {
        issues.push({ file, ref, message: `"${ref.entry}" includes a kustomization that includes this one (a cycle)` });
        return null;
      }
      return load(found.file, found.text);
    };
    const remote = (ref: Reference) =>
      issues.push({
        file,
        ref,
        message: `"${ref.entry}" is a remote resource: it is never fetched, so this overlay is not built. Vendor it into the repository to have it checked.`,
      });
    for (const ref of k.resources) {
      if (ref.remote) {
        remote(ref);
        continue;
      }
      const sub = child(ref);
      if (sub === null) continue;
      if (sub) {
        node.resources.push({ kind: 'dir', ref, node: sub });
        continue;
      }
      const text = read(ref.path!);
      if (text === undefined) issues.push({ file, ref, message: `"${ref.entry}" names no file or kustomization directory` });
      else {
        inputs.add(ref.path!);
        node.resources.push({ kind: 'file', ref, docs: sourceDocsOf(ref.path!, text) });
      }
    }
    for (const ref of k.components) {
      if (ref.remote) {
        remote(ref);
        continue;
      }
      const sub = child(ref);
      if (sub) node.components.push({ ref, node: sub });
      else if (sub === undefined) issues.push({ file, ref, message: `"${ref.entry}" names no component directory` });
    }
    const files = [
      ...k.patches.flatMap((p) => (p.file ? [p.file] : [])),
      ...k.generators.flatMap((g) => [...g.files.map((f) => f.ref), ...g.envs]),
      ...k.otherInputs,
    ];
    for (const ref of files) {
      if (ref.remote) remote(ref);
      else if (read(ref.path!) === undefined) issues.push({ file, ref, message: `"${ref.entry}" names no file` });
      else inputs.add(ref.path!);
    }
    loading.delete(k.dir);
    return node;
  };

  const root = load(top.file, top.text);
  const patchFiles = new Set([...nodes.values()].flatMap((node) => node.k.patches.flatMap((p) => (p.file?.path ? [p.file.path] : []))));
  const patchDocs = (file: string): SourceDoc[] => {
    const text = patchFiles.has(file) ? read(file) : undefined;
    return text === undefined ? [] : sourceDocsOf(file, text);
  };
  return { root, inputs: [...inputs], kustomizations, issues, patchDocs };
}

/**
 * The build roots among a workspace's kustomization files: those no other kustomization uses as a resource
 * or component. A component no one includes is one too, though kustomize cannot build it alone: its patches
 * must still never be linted as whole objects (its renderer says where it gets checked instead).
 */
export function findRoots(kustomizationFiles: readonly { file: string; text: string }[]): string[] {
  const parsed = kustomizationFiles.map(({ file, text }) => parseKustomization(file, text));
  const used = new Set<string>();
  for (const k of parsed) for (const ref of [...k.resources, ...k.components]) if (ref.path) used.add(ref.path);
  const seen = new Set<string>();
  const roots: string[] = [];
  for (const k of parsed) {
    if (used.has(k.dir) || seen.has(k.dir)) continue;
    seen.add(k.dir);
    roots.push(k.dir);
  }
  return roots;
}
