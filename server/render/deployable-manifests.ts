// A render's output as the cluster should receive it: one object per document, without the build metadata
// kustomize adds for source mapping (origin and transformer annotations), plus where each object sits in
// the rendered files, so a field the API server complains about can be mapped back to its source line.
import { parseDocument } from 'yaml';
import type { SourceFile } from '../engine/engine';
import { LineIndex } from '../engine/line-index';
import { locate } from '../engine/locate';
import { parseSegment, splitDocuments } from '../engine/parse';
import type { Finding, Path } from '../engine/types';

/** Annotations kustomize writes when asked for build metadata; they must reach neither the diff nor the cluster. */
export const BUILD_METADATA_ANNOTATIONS = ['config.kubernetes.io/origin', 'alpha.config.kubernetes.io/transformations'];

export interface DeployableDocument {
  /** The rendered file (a virtual name) and the document's index in it, as the engine counts them. */
  file: string;
  docIndex: number;
  /** The object's text, build metadata removed. */
  text: string;
}

/** Every object of the rendered files, in order; empty documents (comments only) are left out. */
export function deployableDocuments(files: readonly SourceFile[]): DeployableDocument[] {
  const documents: DeployableDocument[] = [];
  for (const { file, text } of files) {
    for (const segment of splitDocuments(text)) {
      const { value } = parseSegment(segment.text);
      if (value === null || value === undefined) continue;
      documents.push({ file, docIndex: segment.index, text: withoutBuildMetadata(segment.text, value) });
    }
  }
  return documents;
}

/** The documents joined as one manifest text; document i of the result is documents[i]. */
export function joinDocuments(documents: readonly DeployableDocument[]): string {
  return documents
    .map(({ text }) => {
      const body = text.replace(/^(?:---|\.\.\.)[^\n]*\n/, '').replace(/\n(?:\.\.\.)[^\n]*\n?$/, '\n');
      return body.endsWith('\n') ? body : `${body}\n`;
    })
    .join('---\n');
}

function withoutBuildMetadata(text: string, value: unknown): string {
  const annotations = (value as { metadata?: { annotations?: Record<string, unknown> } }).metadata?.annotations;
  if (!annotations || !BUILD_METADATA_ANNOTATIONS.some((key) => key in annotations)) return text;
  // Parsed as YAML 1.1, as the deploy reads it, so re-writing the document cannot change what a value means.
  const doc = parseDocument(text, { version: '1.1' });
  for (const key of BUILD_METADATA_ANNOTATIONS) doc.deleteIn(['metadata', 'annotations', key]);
  const left = doc.getIn(['metadata', 'annotations']) as { items?: unknown[] } | undefined;
  if (left && Array.isArray(left.items) && left.items.length === 0) doc.deleteIn(['metadata', 'annotations']);
  return doc.toString({ lineWidth: 0 });
}

/**
 * A finding-shaped marker on `path` of a rendered document (the key, else its nearest written parent), for a
 * renderer's toSources to carry back to the source line like any finding.
 */
export function markerFinding(
  files: readonly SourceFile[],
  document: Pick<DeployableDocument, 'file' | 'docIndex'>,
  path: Path,
): Finding | undefined {
  const source = files.find((f) => f.file === document.file);
  if (!source) return undefined;
  const segment = splitDocuments(source.text).find((s) => s.index === document.docIndex);
  if (!segment) return undefined;
  const parsed = parseSegment(segment.text);
  const located = locate(parsed.positioned(), path);
  const lines = new LineIndex(source.text);
  const span = { start: segment.start + located.start, end: segment.start + located.end };
  const value = (parsed.value ?? {}) as { kind?: unknown; apiVersion?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    ruleId: 'dry-run',
    severity: 'error',
    message: '',
    file: source.file,
    span,
    range: lines.rangeOf(span),
    path,
    docIndex: document.docIndex,
    object: {
      kind: text(value.kind),
      apiVersion: text(value.apiVersion),
      name: text(value.metadata?.name),
      ...(value.metadata?.namespace ? { namespace: text(value.metadata.namespace) } : {}),
    },
  };
}
