// Text → YAML documents. The plain value of each document comes from js-yaml (fast, no positions);
// a positioned `yaml` Document is built only when a finding or a fix needs exact ranges. Both are
// cached per document text, so an edit re-parses only the document it touched.
import { load as loadFast, CORE_SCHEMA, YAMLException } from 'js-yaml';
import { isCollection, parseDocument, visit, type Document, type Node } from 'yaml';
import { PositionIndex } from './position-index';

/** One `---`-separated document of a file. */
export interface Segment {
  index: number;
  /** Offset of the segment in the file. */
  start: number;
  text: string;
}

export interface SegmentError {
  message: string;
  /** Offsets relative to the segment. */
  start: number;
  end: number;
  code: 'yaml-syntax' | 'too-complex';
}

export interface ParsedSegment {
  value: unknown;
  error?: SegmentError;
  /** The positioned document, parsed on first use. */
  positioned(): Document.Parsed;
  /** The lightweight position index, built on first use; tried before the positioned document. */
  index(): PositionIndex;
}

/** Aliases this many times past their anchors look like an alias bomb ("billion laughs"). */
export const MAX_ALIAS_COUNT = 100;
/** Flow nesting deeper than this is refused before parsing (recursive parsers). */
export const MAX_NESTING = 256;
/**
 * Block nesting is bounded by the columns a line's structure takes: indentation plus compact indicators
 * (`- - - x`, `? - x` nest one level per indicator without any indentation). Beyond this, refused.
 */
export const MAX_INDENT_COLUMNS = 1000;

/** The first mapping key that is a collection, if any. */
function collectionKeyOf(doc: Document.Parsed): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (isCollection(pair.key)) {
        found = pair.key;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

const DOCUMENT_MARKER = /^(---|\.\.\.)(?=\s|$)/;

export function splitDocuments(text: string): Segment[] {
  const segments: Segment[] = [];
  let segmentStart = 0;
  // Whether the current segment holds anything but comments and blank lines (or a `---`).
  let started = false;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const next = newline === -1 ? text.length : newline + 1;
    const head = text.slice(lineStart, Math.min(lineEnd, lineStart + 4));
    if (DOCUMENT_MARKER.test(head)) {
      if (head.startsWith('...')) {
        // `...` closes the current document; the marker line belongs to it.
        segments.push({ index: segments.length, start: segmentStart, text: text.slice(segmentStart, next) });
        segmentStart = next;
        started = false;
      } else {
        // Leading comments stay with the document they introduce.
        if (started) {
          segments.push({ index: segments.length, start: segmentStart, text: text.slice(segmentStart, lineStart) });
          segmentStart = lineStart;
        }
        started = true;
      }
    } else if (!started && !/^\s*(#.*)?$/.test(text.slice(lineStart, lineEnd))) {
      started = true;
    }
    if (newline === -1) break;
    lineStart = next;
  }
  if (segmentStart < text.length || segments.length === 0) {
    segments.push({ index: segments.length, start: segmentStart, text: text.slice(segmentStart) });
  }
  return segments;
}

// Alias or merge key: route to the parser that can cap alias expansion.
const ALIAS_LIKE = /(^|[\s[{,:-])\*[^\s[\]{},]|<<\s*:/m;

export function parseSegment(text: string): ParsedSegment {
  const parsed = parseSegmentValue(text);
  let index: PositionIndex | undefined;
  return { ...parsed, index: () => (index ??= new PositionIndex(text)) };
}

function parseSegmentValue(text: string): Omit<ParsedSegment, 'index'> {
  const tooDeep = nestingTooDeep(text);
  if (tooDeep !== undefined) return refused(tooDeep.message, tooDeep.offset);
  try {
    return parseGuarded(text);
  } catch (error) {
    // The guard above is a cheap scan; whatever still exhausts a recursive parser's stack is refused
    // the same way, never thrown at the caller (the CLI's exit code, the language server's publish).
    if (error instanceof RangeError) return refused('Document nested too deeply for the YAML parser; not analysed.', 0);
    throw error;
  }
}

function refused(message: string, offset: number): Omit<ParsedSegment, 'index'> {
  return { value: undefined, error: { code: 'too-complex', message, start: offset, end: offset + 1 }, positioned: () => parseDocument('') };
}

function parseGuarded(text: string): Omit<ParsedSegment, 'index'> {
  let positioned: Document.Parsed | undefined;
  const getPositioned = () => (positioned ??= parseDocument(text, { merge: true, uniqueKeys: true, prettyErrors: false }));

  const mayHaveAliases = (text.includes('*') || text.includes('<<')) && ALIAS_LIKE.test(text);
  if (!mayHaveAliases) {
    try {
      return { value: loadFast(text, { schema: CORE_SCHEMA, json: false }), positioned: safePositioned(getPositioned) };
    } catch (error) {
      if (!(error instanceof YAMLException) && !(error instanceof RangeError)) throw error;
      // Fall through: the positioned parser gives the precise message and span.
    }
  }
  return valueFromPositioned(text, getPositioned(), getPositioned);
}

/** The positioned parse of a document js-yaml already read: an empty document if it cannot be built. */
function safePositioned(get: () => Document.Parsed): () => Document.Parsed {
  return () => {
    try {
      return get();
    } catch (error) {
      if (error instanceof RangeError) return parseDocument('');
      throw error;
    }
  };
}

function valueFromPositioned(source: string, doc: Document.Parsed, positioned: () => Document.Parsed): Omit<ParsedSegment, 'index'> {
  const syntax = doc.errors[0];
  if (syntax) {
    // Errors found at the end of input (an unclosed bracket) are shown on the last written character.
    const lastCharacter = Math.max(0, trimmedLength(source) - 1);
    const start = Math.min(syntax.pos[0], lastCharacter);
    const end = Math.max(Math.min(syntax.pos[1], lastCharacter + 1), start + 1);
    return { value: undefined, error: { code: 'yaml-syntax', message: firstLine(syntax.message), start, end }, positioned };
  }
  const complexKey = collectionKeyOf(doc);
  if (complexKey) {
    // toJS would write such a key out as a string, level by level: quadratic on `? ? ? …` nests.
    const start = complexKey.range?.[0] ?? 0;
    return {
      value: undefined,
      error: {
        code: 'too-complex',
        message: 'A mapping key is itself a map or a list (a `?` complex key): not valid in a Kubernetes manifest; not analysed.',
        start,
        end: start + 1,
      },
      positioned,
    };
  }
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), positioned };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/alias/i.test(message) || error instanceof RangeError) {
      return {
        value: undefined,
        error: {
          code: 'too-complex',
          message: `YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} uses): not analysed, to guard against alias bombs.`,
          start: 0,
          end: Math.min(doc.range[1], 1),
        },
        positioned,
      };
    }
    return { value: undefined, error: { code: 'yaml-syntax', message: firstLine(message), start: 0, end: 1 }, positioned };
  }
}

// A line whose structure (indentation, `-`, `?`, `:`) may take this many columns: worth the exact scan.
const DEEP_BLOCK = new RegExp(`^[ \\t?:-]{${MAX_INDENT_COLUMNS}}`, 'm');

/** Where nesting gets too deep, or undefined. A cheap scan, quotes aware enough for guarding. */
function nestingTooDeep(text: string): { offset: number; message: string } | undefined {
  // Nearly every document: few brackets and no long structural line prefix; skip the scan.
  if (countOf(text, '[') + countOf(text, '{') <= MAX_NESTING && !DEEP_BLOCK.test(text)) return undefined;
  const tooDeep = (offset: number, what: string) => ({
    offset,
    message: `Document nested more than ${what} deep; not analysed.`,
  });
  let depth = 0;
  let quote: number | undefined;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c === 10) {
      quote = undefined; // Multi-line quoted scalars are rare in manifests; keep the guard simple.
      continue;
    }
    if (i === 0 || text.charCodeAt(i - 1) === 10) {
      // The line's block structure: spaces and compact indicators, each a column (and a level at most).
      let columns = 0;
      while (i < text.length && (c === 32 || (isIndicator(c) && isBlankAt(text, i + 1)))) {
        if (++columns > MAX_INDENT_COLUMNS) return tooDeep(i, `${MAX_INDENT_COLUMNS} columns of indentation and \`-\`/\`?\` indicators`);
        c = text.charCodeAt(++i);
      }
      if (i >= text.length) break;
      if (c === 10) {
        quote = undefined;
        continue;
      }
    }
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === 34 || c === 39) quote = c;
    else if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32)) {
      const newline = text.indexOf('\n', i);
      i = (newline === -1 ? text.length : newline) - 1;
    } else if (c === 91 || c === 123) {
      if (++depth > MAX_NESTING) return tooDeep(i, `${MAX_NESTING} levels of brackets`);
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

/** `-`, `?` and `:` open a nested node when a blank follows them. */
function isIndicator(c: number): boolean {
  return c === 45 || c === 63 || c === 58;
}

function isBlankAt(text: string, i: number): boolean {
  if (i >= text.length) return true;
  const c = text.charCodeAt(i);
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function countOf(text: string, character: string): number {
  let count = 0;
  for (let i = text.indexOf(character); i !== -1; i = text.indexOf(character, i + 1)) count++;
  return count;
}

/** The length without trailing whitespace; a backwards loop, as `/\s+$/` is quadratic on long blank runs. */
function trimmedLength(text: string): number {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  return end;
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

/** Parses segments, reusing earlier parses of identical text (the language server keeps one per document). */
export class ParseCache {
  private entries = new Map<string, ParsedSegment>();
  private previous = new Map<string, ParsedSegment>();

  get(text: string): ParsedSegment {
    let parsed = this.entries.get(text) ?? this.previous.get(text);
    if (!parsed) parsed = parseSegment(text);
    this.entries.set(text, parsed);
    return parsed;
  }

  /** Drops entries not used since the last sweep, keeping memory bounded to what is open. */
  sweep(): void {
    this.previous = this.entries;
    this.entries = new Map();
  }
}
