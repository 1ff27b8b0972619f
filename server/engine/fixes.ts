// Fix operations → minimal text edits. Each operation edits only the lines it must, so comments and the
// formatting of untouched lines survive; the result is one edit from the first to the last changed character.
import { isMap, isScalar, isSeq, Lexer, parseDocument, stringify, type Document, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { splitDocuments } from './parse';
import { walk } from './locate';
import type { Finding, FixOp, Path, Span } from './types';

export interface TextEdit {
  span: Span;
  newText: string;
}

export class FixError extends Error {}

/** The edits that apply the finding's fix to the file text it was found in. */
export function fixEdits(fileText: string, finding: Pick<Finding, 'fix' | 'docIndex'>): TextEdit[] {
  if (!finding.fix) return [];
  const segment = splitDocuments(fileText)[finding.docIndex];
  if (!segment) throw new FixError('The document of this finding no longer exists.');
  let text = segment.text;
  for (const op of finding.fix.ops) text = applyOp(text, op);
  const edit = diffEdit(segment.text, text);
  if (!edit) return [];
  return [{ span: { start: segment.start + edit.span.start, end: segment.start + edit.span.end }, newText: edit.newText }];
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.span.start) + edit.newText + result.slice(edit.span.end);
  return result;
}

/** One edit covering exactly what differs between two texts (common prefix and suffix kept). */
function diffEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let prefix = 0;
  const shortest = Math.min(before.length, after.length);
  while (prefix < shortest && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shortest - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  return { span: { start: prefix, end: before.length - suffix }, newText: after.slice(prefix, after.length - suffix) };
}

function applyOp(text: string, op: FixOp): string {
  const doc = parseDocument(text, { merge: true });
  if (doc.errors.length > 0) throw new FixError('The document has YAML errors; fix them first.');
  switch (op.op) {
    case 'set':
      return setValue(text, doc, op.path, op.value);
    case 'delete':
      return deleteAt(text, doc, op.path);
    case 'append':
      return appendItem(text, doc, op.path, op.value);
  }
}

function setValue(text: string, doc: Document.Parsed, path: Path, value: unknown): string {
  const reached = walk(doc, path);
  const rest = path.slice(reached.depth);
  if (rest.some((key) => typeof key !== 'string')) throw new FixError(`Cannot create ${path.join('.')}: a list item is missing.`);
  const node = reached.node;

  if (rest.length === 0) {
    // The key exists: replace its value (or fill an empty `key:`).
    if (!isCollectionValue(value) && node?.range && !isEmptyScalar(node))
      return splice(text, node.range[0], node.range[1], renderFlow(value));
    return fillEmptyValue(text, reached, value);
  }
  const nested = nest(rest as string[], value);
  if (isMap(node)) return insertIntoMap(text, node as YAMLMap<Node, Node | null>, nested);
  if (!node || isEmptyScalar(node)) return fillEmptyValue(text, reached, nested);
  throw new FixError(`Cannot set ${path.join('.')}: ${String(reached.pair?.key ?? 'its parent')} is not a mapping.`);
}

function deleteAt(text: string, doc: Document.Parsed, path: Path): string {
  const parent = walk(doc, path.slice(0, -1));
  const last = path[path.length - 1];
  const container = parent.depth === path.length - 1 ? parent.node : null;
  if (isMap(container) && typeof last === 'string') {
    const map = container as YAMLMap<Node, Node | null>;
    const index = map.items.findIndex((pair) => isScalar(pair.key) && String(pair.key.value) === last);
    if (index === -1) return text;
    const pair = map.items[index];
    const start = (pair.key as Node).range![0];
    const end = (pair.value?.range ?? (pair.key as Node).range!)[1];
    return removeEntry(
      text,
      map.flow === true,
      start,
      end,
      map.items[index + 1] ? (map.items[index + 1].key as Node).range![0] : undefined,
      map.items.length === 1,
    );
  }
  if (isSeq(container) && typeof last === 'number') {
    const seq = container as YAMLSeq<Node>;
    const item = seq.items[last];
    if (!item?.range) return text;
    const next = seq.items[last + 1]?.range?.[0];
    if (seq.flow) return removeEntry(text, true, item.range[0], item.range[1], next, seq.items.length === 1);
    // Block sequence: remove the item's lines, dash included.
    const dash = text.lastIndexOf('-', item.range[0]);
    return removeLines(text, dash, item.range[1]);
  }
  return text;
}

function appendItem(text: string, doc: Document.Parsed, path: Path, value: unknown): string {
  const reached = walk(doc, path);
  const node = reached.node;
  if (reached.depth < path.length || !node || isEmptyScalar(node)) return setValue(text, doc, path, [value]);
  if (!isSeq(node)) throw new FixError(`Cannot append to ${path.join('.')}: it is not a list.`);
  const seq = node as YAMLSeq<Node>;
  const last = seq.items[seq.items.length - 1];
  if (seq.flow || !last?.range) {
    const close = text.lastIndexOf(']', seq.range![1] - 1);
    const separator = seq.items.length > 0 ? ', ' : '';
    return splice(text, close, close, separator + renderFlow(value));
  }
  const dash = text.lastIndexOf('-', last.range[0]);
  const column = dash - lineStartOf(text, dash);
  return insertAfterLine(text, last.range[1], `${' '.repeat(column)}- ${renderFlow(value)}`);
}

/** Adds keys to a mapping: a new line under a block map, or `key: value` inside a flow map. */
function insertIntoMap(text: string, map: YAMLMap<Node, Node | null>, nested: Record<string, unknown>): string {
  if (map.flow) {
    const close = text.lastIndexOf('}', map.range![1] - 1);
    const body = renderFlow(nested).slice(1, -1).trim();
    return splice(text, close, close, (map.items.length > 0 ? ', ' : '') + body);
  }
  const first = map.items[0];
  const lastItem = map.items[map.items.length - 1];
  const firstKey = first.key as Node;
  const column = firstKey.range![0] - lineStartOf(text, firstKey.range![0]);
  const end = (lastItem.value?.range ?? (lastItem.key as Node).range!)[1];
  return insertAfterLine(text, end, indentBlock(renderBlock(nested), column));
}

/** `key:` with nothing (or null) after it: put the value there, in block style under the key. */
function fillEmptyValue(text: string, reached: ReturnType<typeof walk>, value: unknown): string {
  const keyNode = reached.pair?.key as Node | undefined;
  if (!keyNode?.range) throw new FixError('Cannot place the value: no key to attach it to.');
  const keyColumn = keyNode.range[0] - lineStartOf(text, keyNode.range[0]);
  const valueNode = reached.pair?.value;
  const colon = text.indexOf(':', keyNode.range[1]);
  const replaceEnd = valueNode?.range && valueNode.range[1] > valueNode.range[0] ? valueNode.range[1] : colon + 1;
  if (isCollectionValue(value)) {
    return splice(text, colon + 1, replaceEnd, '\n' + indentBlock(renderBlock(value), keyColumn + 2));
  }
  return splice(text, colon + 1, replaceEnd, ' ' + renderFlow(value));
}

function removeEntry(text: string, flow: boolean, start: number, end: number, nextStart: number | undefined, only: boolean): string {
  if (flow) {
    if (only) return splice(text, start, end, '');
    if (nextStart !== undefined) return splice(text, start, nextStart, '');
    const comma = text.lastIndexOf(',', start);
    return splice(text, comma, end, '');
  }
  const lineStart = lineStartOf(text, start);
  if (text.slice(lineStart, start).trim() === '') return removeLines(text, start, end);
  // `- key: value` first in a list item: pull the next key up behind the dash.
  if (nextStart !== undefined)
    return keepCommentsAbove(text, start, splice(text, start, nextStart, ''), commentsIn(text, start, nextStart));
  return splice(text, start, end, '{}');
}

function removeLines(text: string, start: number, end: number): string {
  const from = lineStartOf(text, start);
  const lineEnd = text.indexOf('\n', Math.max(end - 1, start));
  const to = lineEnd === -1 ? text.length : lineEnd + 1;
  return keepCommentsAbove(text, start, text.slice(0, from) + text.slice(to), commentsIn(text, from, to));
}

/**
 * A removed entry's comments (a ticket number, an approval) are the user's, not ours to drop: they stay
 * as comment lines where the entry was, at its indentation.
 */
function keepCommentsAbove(text: string, start: number, edited: string, comments: string[]): string {
  if (comments.length === 0) return edited;
  const lineStart = lineStartOf(text, start);
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const lineBreak = text.includes('\r\n') ? '\r\n' : '\n';
  return edited.slice(0, lineStart) + comments.map((comment) => indent + comment + lineBreak).join('') + edited.slice(lineStart);
}

/** Comments that start in [from, to), found by the YAML lexer so that `#` inside quoted scalars is not one. */
function commentsIn(text: string, from: number, to: number): string[] {
  if (!text.slice(from, to).includes('#')) return [];
  const comments: string[] = [];
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    // The lexer interleaves one-character control tokens (document, flow end, scalar) that are not in the source.
    if (token === '\x02' || token === '\x18' || token === '\x1f') continue;
    if (token[0] === '#' && offset >= from && offset < to) comments.push(token.trimEnd());
    offset += token.length;
    if (offset >= to) break;
  }
  return comments;
}

/** Inserts a block of lines after the line on which offset `end` falls (after any trailing comment). */
function insertAfterLine(text: string, end: number, block: string): string {
  let at = end;
  while (at > 0 && (text[at - 1] === '\n' || text[at - 1] === '\r')) at--;
  const newline = text.indexOf('\n', at);
  let eol = newline === -1 ? text.length : newline;
  const crlf = text[eol - 1] === '\r';
  if (crlf) eol--;
  const lineBreak = crlf ? '\r\n' : '\n';
  return text.slice(0, eol) + lineBreak + block.replace(/\n/g, lineBreak) + text.slice(eol);
}

function nest(keys: string[], value: unknown): Record<string, unknown> {
  let result: unknown = value;
  for (let i = keys.length - 1; i >= 0; i--) result = { [keys[i]]: result };
  return result as Record<string, unknown>;
}

function renderBlock(value: unknown): string {
  return stringify(value, { indent: 2, lineWidth: 0, indentSeq: true }).replace(/\n$/, '');
}

function renderFlow(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).replace(/\n$/, '');
}

function indentBlock(block: string, column: number): string {
  const pad = ' '.repeat(column);
  return block
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join('\n');
}

function isCollectionValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0);
}

function isEmptyScalar(node: Node): boolean {
  return (
    isScalar(node) &&
    (node.value === null || node.value === undefined) &&
    (!node.range || node.range[1] === node.range[0] || /^(~|null|Null|NULL)$/.test(String(node.source ?? '')))
  );
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}
