// One YAML document of a source file (a base resource, a patch, a kustomization, or a patch written inline
// as a string inside a kustomization) that can say where a document path is written in the file.
import { isScalar, type Scalar } from 'yaml';
import { locate, walk } from '../locate';
import { parseSegment, splitDocuments, type ParsedSegment } from '../parse';
import type { Path, Span } from '../types';

export interface SourceSpan {
  file: string;
  span: Span;
  /** The whole path exists in the document (else the span is its nearest written parent). */
  exact: boolean;
}

export class SourceDoc {
  constructor(
    readonly file: string,
    /** The whole file's text (offsets in spans are into it). */
    readonly fileText: string,
    /** Index of the document in the file, for fixes and suppressions; -1 for an inline text. */
    readonly docIndex: number,
    private readonly segmentStart: number,
    private readonly segmentText: string,
    /** Offsets inside an inline text → offsets in the file; identity plus segmentStart otherwise. */
    private readonly toFile: (offset: number) => number = (offset) => offset,
  ) {}

  private parse: ParsedSegment | undefined;

  /** Parsed on first use: finding the roots of a workspace reads many files and parses none. */
  get parsed(): ParsedSegment {
    return (this.parse ??= parseSegment(this.segmentText));
  }

  get value(): unknown {
    return this.parsed.error ? undefined : this.parsed.value;
  }

  locate(path: Path): SourceSpan {
    const located = this.parsed.index().locate(path) ?? locate(this.parsed.positioned(), path);
    return {
      file: this.file,
      span: { start: this.toFile(this.segmentStart + located.start), end: this.toFile(this.segmentStart + located.end) },
      exact: located.exact,
    };
  }

  /** The documents of a string value of this document (a patch written inline), positioned in this file. */
  inline(path: Path): SourceDoc[] {
    const reached = walk(this.parsed.positioned(), path);
    const node = reached.depth === path.length ? reached.node : null;
    if (!node || !isScalar(node) || typeof node.value !== 'string' || !node.range) return [];
    const toFile = inlineOffsets(this.fileText, this.segmentStart, node as Scalar<string>);
    return sourceDocsOf(this.file, this.fileText, { text: node.value, toFile, docIndex: -1 });
  }
}

/** The documents of a file (or of a text inside it, with the map from its offsets to the file's). */
export function sourceDocsOf(
  file: string,
  fileText: string,
  inner?: { text: string; toFile: (offset: number) => number; docIndex: number },
): SourceDoc[] {
  return splitDocuments(inner?.text ?? fileText).map(
    (segment) => new SourceDoc(file, fileText, inner?.docIndex ?? segment.index, segment.start, segment.text, inner?.toFile),
  );
}

/**
 * Offsets in a scalar's value → offsets in the file. Exact for block scalars (`patch: |-`, how inline patches
 * are written: each value line is a file line minus the block's indentation) and single-line plain or quoted
 * scalars; the start of the scalar for anything else.
 */
function inlineOffsets(fileText: string, segmentStart: number, node: Scalar<string>): (offset: number) => number {
  const [start, end] = node.range!;
  const from = segmentStart + start;
  const to = segmentStart + end;
  const source = fileText.slice(from, to);
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    const firstBreak = source.indexOf('\n');
    if (firstBreak === -1) return () => from;
    const lines: { start: number; text: string }[] = [];
    let cursor = from + firstBreak + 1;
    for (const line of fileText.slice(cursor, to).split('\n')) {
      lines.push({ start: cursor, text: line });
      cursor += line.length + 1;
    }
    const indent = Math.min(...lines.filter((l) => l.text.trim() !== '').map((l) => l.text.length - l.text.trimStart().length));
    const valueLineStarts: number[] = [0];
    const value = node.value;
    for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) valueLineStarts.push(i + 1);
    // Leading empty lines of the block are not part of the value's first line.
    const firstContent = lines.findIndex((l) => l.text.trim() !== '');
    return (offset) => {
      let line = 0;
      while (line + 1 < valueLineStarts.length && valueLineStarts[line + 1] <= offset) line++;
      const fileLine = lines[Math.max(firstContent, 0) + line];
      if (!fileLine) return from;
      return fileLine.start + Math.min(indent, fileLine.text.length) + (offset - valueLineStarts[line]);
    };
  }
  if (!source.includes('\n')) {
    const quote = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
    return (offset) => Math.min(from + quote + offset, to);
  }
  return () => from;
}
