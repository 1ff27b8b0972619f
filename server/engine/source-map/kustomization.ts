// A kustomization file read as data: what it includes (resources, components, patches, generator inputs)
// and what its transformers set, each entry with its document path so a finding can point at the line.
// Pure: texts come from the caller (disk or unsaved editor buffers), nothing is read here.
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { asArray, asMap, asString, isMap, type Json } from '../objects';
import type { Path } from '../types';
import { SourceDoc, sourceDocsOf } from './source-doc';

/** The names kustomize looks for in a directory, in its order of preference. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export function isKustomizationFile(file: string): boolean {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  return (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(base);
}

/** An entry naming another file or directory, with where it is written. */
export interface Reference {
  /** As written in the kustomization. */
  entry: string;
  /** Resolved against the kustomization's directory; undefined for remote entries. */
  path?: string;
  /** Document path of the entry in the kustomization. */
  at: Path;
  remote: boolean;
}

export interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/** One patch entry: a file or an inline text, strategic-merge or JSON 6902, with an optional target. */
export interface PatchEntry {
  field: 'patches' | 'patchesStrategicMerge' | 'patchesJson6902';
  /** Document path of the entry in the kustomization (its `path:` or `patch:` value). */
  at: Path;
  file?: Reference;
  /** Path of the inline `patch:` text in the kustomization. */
  inlineAt?: Path;
  target?: PatchTarget;
}

export interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  at: Path;
}

export interface ReplicaEntry {
  name: string;
  count: unknown;
  at: Path;
}

export interface LabelEntry {
  pairs: Record<string, string>;
  /** Where the pairs map is written. */
  at: Path;
  includeSelectors: boolean;
  includeTemplates: boolean;
  /** commonLabels: selectors and templates too. */
  common: boolean;
}

export interface GeneratorEntry {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  namespace?: string;
  behavior?: string;
  at: Path;
  /** key → where it is written, in this order of lookup. */
  literals: { key: string; at: Path }[];
  /** `files:` entries: data key (the entry's `key=` or the file's base name) and the file. */
  files: { key: string; ref: Reference }[];
  /** `envs:` / `env:` files: every KEY=VALUE line is a data key. */
  envs: Reference[];
}

export interface Kustomization {
  file: string;
  dir: string;
  doc: SourceDoc;
  value: Json;
  isComponent: boolean;
  resources: Reference[];
  components: Reference[];
  patches: PatchEntry[];
  images: ImageEntry[];
  replicas: ReplicaEntry[];
  labels: LabelEntry[];
  annotations?: { pairs: Record<string, string>; at: Path };
  namespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  generators: GeneratorEntry[];
  /** `replacements:` entries: written inline (their path here) or in a file of replacements. */
  replacements: { at: Path; file?: Reference }[];
  /** Other files the build reads (crds, configurations, openapi, replacements, transformer configs). */
  otherInputs: Reference[];
  /** What the build needs that we never run (helm charts, plugins, remote entries). */
  unsupported: { at: Path; reason: string }[];
}

/** Entries kustomize fetches over the network: URLs, `git::`, `github.com/…`, `git@host:…`. */
export function isRemoteEntry(entry: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.startsWith('git::') || /^[\w.-]+@[\w.-]+:/.test(entry)) return true;
  // host.tld/owner/repo (github.com/x/y, gitlab.com/…, bitbucket.org/…): the first segment names a host.
  const first = entry.split('/')[0];
  return (
    entry.includes('/') &&
    /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(first) &&
    !first.startsWith('.') &&
    /\.(com|org|io|net|dev|cloud)$/i.test(first)
  );
}

export function parseKustomization(file: string, text: string): Kustomization {
  const doc = sourceDocsOf(file, text)[0];
  const value = asMap(doc.value) ?? {};
  const dir = dirname(file);
  const ref = (entry: unknown, at: Path): Reference | undefined => {
    const written = asString(entry);
    if (written === undefined || written.trim() === '') return undefined;
    const remote = isRemoteEntry(written);
    return { entry: written, path: remote ? undefined : resolveEntry(dir, written), at, remote };
  };
  const refs = (field: string): Reference[] =>
    asArray(value[field]).flatMap((entry, i) => {
      const r = ref(entry, [field, i]);
      return r ? [r] : [];
    });

  const k: Kustomization = {
    file,
    dir,
    doc,
    value,
    isComponent: value.kind === 'Component',
    resources: [...refs('resources'), ...refs('bases')],
    components: refs('components'),
    patches: [],
    images: [],
    replicas: [],
    labels: [],
    namespace: asString(value.namespace),
    namePrefix: asString(value.namePrefix),
    nameSuffix: asString(value.nameSuffix),
    generators: [],
    replacements: [],
    otherInputs: [...refs('crds'), ...refs('configurations'), ...refs('transformers'), ...refs('generators'), ...refs('validators')],
    unsupported: [],
  };

  asArray(value.patches).forEach((raw, i) => {
    const entry = asMap(raw);
    if (!entry) return;
    const target = asMap(entry.target) as PatchTarget | undefined;
    const file = ref(entry.path, ['patches', i, 'path']);
    if (file) k.patches.push({ field: 'patches', at: ['patches', i, 'path'], file, target });
    else if (typeof entry.patch === 'string')
      k.patches.push({ field: 'patches', at: ['patches', i, 'patch'], inlineAt: ['patches', i, 'patch'], target });
  });
  asArray(value.patchesStrategicMerge).forEach((raw, i) => {
    const written = asString(raw);
    if (written === undefined) return;
    // An entry is a file name, or the patch itself written inline (it then holds a newline or a colon).
    if (/[\n:]/.test(written.trim()) && !written.trim().endsWith('.yaml') && !written.trim().endsWith('.yml'))
      k.patches.push({ field: 'patchesStrategicMerge', at: ['patchesStrategicMerge', i], inlineAt: ['patchesStrategicMerge', i] });
    else {
      const file = ref(written, ['patchesStrategicMerge', i]);
      if (file) k.patches.push({ field: 'patchesStrategicMerge', at: ['patchesStrategicMerge', i], file });
    }
  });
  asArray(value.patchesJson6902).forEach((raw, i) => {
    const entry = asMap(raw);
    if (!entry) return;
    const target = asMap(entry.target) as PatchTarget | undefined;
    const file = ref(entry.path, ['patchesJson6902', i, 'path']);
    if (file) k.patches.push({ field: 'patchesJson6902', at: ['patchesJson6902', i, 'path'], file, target });
    else if (typeof entry.patch === 'string')
      k.patches.push({ field: 'patchesJson6902', at: ['patchesJson6902', i, 'patch'], inlineAt: ['patchesJson6902', i, 'patch'], target });
  });

  asArray(value.images).forEach((raw, i) => {
    const entry = asMap(raw);
    const name = asString(entry?.name);
    if (!entry || !name) return;
    k.images.push({
      name,
      newName: asString(entry.newName),
      newTag: entry.newTag === undefined || entry.newTag === null ? undefined : String(entry.newTag),
      digest: asString(entry.digest),
      at: ['images', i],
    });
  });
  asArray(value.replicas).forEach((raw, i) => {
    const entry = asMap(raw);
    const name = asString(entry?.name);
    if (entry && name) k.replicas.push({ name, count: entry.count, at: ['replicas', i] });
  });

  const common = asMap(value.commonLabels);
  if (common)
    k.labels.push({ pairs: stringPairs(common), at: ['commonLabels'], includeSelectors: true, includeTemplates: true, common: true });
  asArray(value.labels).forEach((raw, i) => {
    const entry = asMap(raw);
    const pairs = asMap(entry?.pairs);
    if (!entry || !pairs) return;
    const includeSelectors = entry.includeSelectors === true;
    k.labels.push({
      pairs: stringPairs(pairs),
      at: ['labels', i, 'pairs'],
      includeSelectors,
      includeTemplates: includeSelectors || entry.includeTemplates === true,
      common: false,
    });
  });
  const annotations = asMap(value.commonAnnotations);
  if (annotations) k.annotations = { pairs: stringPairs(annotations), at: ['commonAnnotations'] };

  for (const [field, kind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    asArray(value[field]).forEach((raw, i) => {
      const entry = asMap(raw);
      const name = asString(entry?.name);
      if (!entry || !name) return;
      const at: Path = [field, i];
      const generator: GeneratorEntry = {
        kind,
        name,
        namespace: asString(entry.namespace),
        behavior: asString(entry.behavior),
        at,
        literals: [],
        files: [],
        envs: [],
      };
      asArray(entry.literals).forEach((literal, j) => {
        const text = asString(literal);
        const eq = text?.indexOf('=') ?? -1;
        if (text && eq > 0) generator.literals.push({ key: text.slice(0, eq).trim(), at: [...at, 'literals', j] });
      });
      asArray(entry.files).forEach((written, j) => {
        const text = asString(written);
        if (!text) return;
        const eq = text.indexOf('=');
        const key = eq > 0 ? text.slice(0, eq) : text.slice(Math.max(text.lastIndexOf('/'), -1) + 1);
        const r = ref(eq > 0 ? text.slice(eq + 1) : text, [...at, 'files', j]);
        if (r) generator.files.push({ key, ref: r });
      });
      asArray(entry.envs).forEach((written, j) => {
        const r = ref(written, [...at, 'envs', j]);
        if (r) generator.envs.push(r);
      });
      const env = ref(entry.env, [...at, 'env']);
      if (env) generator.envs.push(env);
      k.generators.push(generator);
    });
  }

  const openapi = ref(asMap(value.openapi)?.path, ['openapi', 'path']);
  if (openapi) k.otherInputs.push(openapi);
  asArray(value.replacements).forEach((raw, i) => {
    const r = ref(asMap(raw)?.path, ['replacements', i, 'path']);
    if (r) k.otherInputs.push(r);
    if (r || isMap(asMap(raw)?.source)) k.replacements.push({ at: ['replacements', i], file: r });
  });
  if (Array.isArray(value.helmCharts) || isMap(value.helmGlobals))
    k.unsupported.push({
      at: [Array.isArray(value.helmCharts) ? 'helmCharts' : 'helmGlobals'],
      reason: 'helmCharts need `kustomize build --enable-helm`, which is never run here (it can download charts)',
    });
  return k;
}

function stringPairs(map: Json): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const [key, raw] of Object.entries(map)) pairs[key] = raw === null || raw === undefined ? '' : String(raw);
  return pairs;
}

function resolveEntry(dir: string, entry: string): string {
  const trimmed = entry.trim().replace(/\/+$/, '');
  return normalize(isAbsolute(trimmed) ? trimmed : join(dir, trimmed));
}
