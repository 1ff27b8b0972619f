// The output of `kustomize build` with build metadata: each object's origin (the resource file, or the
// generator that wrote it) and the kustomizations whose transformers ran over it, read from kustomize's
// annotations and then cut out, so they never reach the rules, the diagnostics, a diff or a cluster.
import { load, CORE_SCHEMA } from 'js-yaml';
import { isMap as isYamlMap, parseDocument } from 'yaml';
import { asMap, asString, isMap, type Json } from '../objects';
import { splitDocuments } from '../parse';

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
export const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';
const BUILD_ANNOTATIONS = new Set([ORIGIN_ANNOTATION, TRANSFORMATIONS_ANNOTATION]);

export interface BuildOrigin {
  /** The resource file the object was read from (absolute), or the kustomization that generated it. */
  path?: string;
  configuredIn?: string;
  configuredBy?: { kind: string; name?: string };
  /** Set when the object came from a remote repository. */
  repo?: string;
}

export interface BuiltDoc {
  value: Json;
  origin?: BuildOrigin;
  /** Kustomization files whose transformers ran over the object, innermost first. */
  transformedIn: string[];
  /** Offset of the document in the stripped text. */
  start: number;
  text: string;
}

export interface BuildOutput {
  /** The objects without build metadata, as kustomize printed them otherwise. */
  text: string;
  docs: BuiltDoc[];
}

/** `resolve` turns a path in the annotations (relative to the built directory) into a source file path. */
export function readBuildOutput(output: string, resolve: (path: string) => string): BuildOutput {
  const docs: BuiltDoc[] = [];
  let text = '';
  for (const segment of splitDocuments(output)) {
    const raw = segment.text.replace(/^---[^\n]*\n/, '');
    let value: unknown;
    try {
      value = load(raw, { schema: CORE_SCHEMA });
    } catch {
      value = undefined;
    }
    if (!isMap(value)) continue;
    const annotations = asMap(asMap(value.metadata)?.annotations);
    const origin = readOrigin(asString(annotations?.[ORIGIN_ANNOTATION]), resolve);
    const transformedIn = readTransformations(asString(annotations?.[TRANSFORMATIONS_ANNOTATION]), resolve);
    let stripped = raw;
    if (annotations && (ORIGIN_ANNOTATION in annotations || TRANSFORMATIONS_ANNOTATION in annotations)) {
      for (const key of BUILD_ANNOTATIONS) delete annotations[key];
      if (Object.keys(annotations).length === 0) delete asMap(value.metadata)!.annotations;
      stripped = stripAnnotations(raw);
      if (!sameValue(stripped, value)) stripped = reprinted(raw);
    }
    if (text !== '') text += '---\n';
    const start = text.length;
    const docText = stripped.endsWith('\n') ? stripped : `${stripped}\n`;
    text += docText;
    docs.push({ value, origin, transformedIn, start, text: docText });
  }
  return { text, docs };
}

function readOrigin(text: string | undefined, resolve: (path: string) => string): BuildOrigin | undefined {
  if (!text) return undefined;
  const raw = asMap(safeLoad(text));
  if (!raw) return undefined;
  const by = asMap(raw.configuredBy);
  return {
    path: asString(raw.path) && !raw.repo ? resolve(asString(raw.path)!) : asString(raw.path),
    configuredIn: asString(raw.configuredIn) ? resolve(asString(raw.configuredIn)!) : undefined,
    configuredBy: by && asString(by.kind) ? { kind: asString(by.kind)!, name: asString(by.name) } : undefined,
    repo: asString(raw.repo),
  };
}

function readTransformations(text: string | undefined, resolve: (path: string) => string): string[] {
  if (!text) return [];
  const list = safeLoad(text);
  const files: string[] = [];
  if (!Array.isArray(list)) return files;
  for (const entry of list) {
    const configuredIn = asString(asMap(entry)?.configuredIn);
    if (!configuredIn) continue;
    const file = resolve(configuredIn);
    if (!files.includes(file)) files.push(file);
  }
  return files;
}

function safeLoad(text: string): unknown {
  try {
    return load(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
}

/**
 * Cuts the two annotations out of kustomize's printed document, line by line (it prints `metadata:` at
 * column 0, `annotations:` at 2 and each key at 4), and the `annotations:` line when nothing else is left.
 */
function stripAnnotations(doc: string): string {
  const lines = doc.split('\n');
  const out: string[] = [];
  let inMetadata = false;
  let annotationsLine = -1;
  let kept = 0;
  let dropping = false;
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    if (indent === 0 && line.trim() !== '') {
      inMetadata = line.startsWith('metadata:');
      if (annotationsLine !== -1 && kept === 0) out.splice(annotationsLine, 1);
      annotationsLine = -1;
      dropping = false;
    } else if (inMetadata && indent === 2 && line.trim() !== '') {
      if (annotationsLine !== -1 && kept === 0) out.splice(annotationsLine, 1);
      annotationsLine = line.trim() === 'annotations:' ? out.length : -1;
      kept = 0;
      dropping = false;
    } else if (annotationsLine !== -1 && indent === 4 && line.trim() !== '') {
      const key = line.trim().replace(/^(["']?)(.*?)\1:.*$/, '$2');
      dropping = BUILD_ANNOTATIONS.has(key);
      if (!dropping) kept++;
    }
    if (dropping && (indent >= 4 || line.trim() === '')) continue;
    out.push(line);
  }
  if (annotationsLine !== -1 && kept === 0) out.splice(annotationsLine, 1);
  return out.join('\n');
}

/** The slow, always-right way: reprint the document without the two annotations. */
function reprinted(raw: string): string {
  const doc = parseDocument(raw);
  for (const key of BUILD_ANNOTATIONS) doc.deleteIn(['metadata', 'annotations', key]);
  const left = doc.getIn(['metadata', 'annotations']);
  if (isYamlMap(left) && left.items.length === 0) doc.deleteIn(['metadata', 'annotations']);
  return doc.toString();
}

/** The line cut must give exactly the object without the two annotations; anything else is not trusted. */
function sameValue(text: string, expected: Json): boolean {
  return JSON.stringify(safeLoad(text)) === JSON.stringify(expected);
}
