// Where the objects a finding depends on are (Finding.related). Resolved only when a rule names one, so an
// analysis without cross-file findings pays nothing. Objects of analysed files get the exact span of the
// path; objects from files the engine does not hold (the language server's workspace index) carry an
// anchor recorded when their file was indexed.
import { LineIndex } from './line-index';
import { locate } from './locate';
import { splitDocuments, type ParsedSegment, type Segment } from './parse';
import type { K8sObject, Path, Range, RelatedLocation, RelatedReport, Span } from './types';

/** What locating a path in a file takes: its lines, documents and their parses. */
export interface LocatableFile {
  source: { file: string; text: string };
  lines: LineIndex;
  segments: Segment[];
  parsed: ParsedSegment[];
  objects: K8sObject[];
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
/** Files re-read to locate a related object, kept for the next findings (they tend to point at the same few). */
const REREAD_CACHE_SIZE = 8;

/** The pair that names an object: what a link to "the object itself" points at. */
export function namePath(object: K8sObject): Path {
  return [...object.path, 'metadata', 'name'];
}

/**
 * Records on each object where its name is, for a file whose text will be let go. Cheap: the position
 * index only; what it cannot answer exactly (flow style, anchors) points at the document instead.
 */
export function recordAnchors(file: LocatableFile): void {
  for (const object of file.objects) {
    const segment = file.segments[object.docIndex];
    const located = file.parsed[object.docIndex]?.index().locate(namePath(object));
    const start = segment.start + (located?.start ?? 0);
    object.anchor = file.lines.rangeOf({ start, end: segment.start + (located?.end ?? 0) });
  }
}

export class RelatedLocator {
  private readonly texts = new Map<string, string>();
  private readonly reread = new Map<string, { lines: LineIndex; segments: Segment[] }>();

  constructor(
    files: readonly { file: string; text: string }[],
    private readonly parse: (text: string) => ParsedSegment,
    /** Reads a file that context objects came from (the language server: open documents, then disk). */
    private readonly readContextFile?: (file: string) => string | undefined,
  ) {
    for (const { file, text } of files) this.texts.set(file, text);
  }

  /** Locations of the related objects; `current` is the file being checked (its parses are at hand). */
  resolve(related: readonly RelatedReport[], current: LocatableFile): RelatedLocation[] {
    const seen = new Set<string>();
    const result: RelatedLocation[] = [];
    for (const entry of related) {
      const location = {
        file: entry.object.file,
        range: this.rangeOf(entry.object, entry.path ?? namePath(entry.object), current),
        message: entry.message,
      };
      const key = `${location.file}:${location.range.start.line}:${location.range.start.character}:${location.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      result.push(location);
    }
    return result;
  }

  private rangeOf(object: K8sObject, path: Path, current: LocatableFile): Range {
    if (object.file === current.source.file) {
      const segment = current.segments[object.docIndex];
      return current.lines.rangeOf(spanIn(segment, current.parsed[object.docIndex], path));
    }
    const text = this.texts.get(object.file) ?? this.readContext(object.file);
    if (text === undefined) return object.anchor ?? START;
    // Another analysed file, already checked and let go (or not yet checked): re-split it, parse one document.
    let file = this.reread.get(object.file);
    if (!file) {
      if (this.reread.size >= REREAD_CACHE_SIZE) this.reread.delete(this.reread.keys().next().value!);
      file = { lines: new LineIndex(text), segments: splitDocuments(text) };
      this.reread.set(object.file, file);
    }
    const segment = file.segments[object.docIndex];
    if (!segment) return object.anchor ?? START;
    const parsed = this.parse(segment.text);
    // A file read afresh may have changed since it was indexed: trust it only if the object is still there.
    if (!sameObject(parsed, object)) return object.anchor ?? START;
    return file.lines.rangeOf(spanIn(segment, parsed, path));
  }

  private readContext(file: string): string | undefined {
    if (!this.readContextFile) return undefined;
    let text: string | undefined;
    try {
      text = this.readContextFile(file);
    } catch {
      text = undefined;
    }
    if (text !== undefined) this.texts.set(file, text);
    return text;
  }
}

function spanIn(segment: Segment, parsed: ParsedSegment, path: Path): Span {
  const located = parsed.index().locate(path) ?? locate(parsed.positioned(), path);
  return { start: segment.start + located.start, end: segment.start + located.end };
}

function sameObject(parsed: ParsedSegment, object: K8sObject): boolean {
  let value: unknown = parsed.value;
  for (const step of object.path) value = (value as Record<string | number, unknown> | undefined)?.[step];
  const record = value as { kind?: unknown; metadata?: { name?: unknown } } | undefined;
  return record?.kind === object.kind && record?.metadata?.name === object.name;
}
