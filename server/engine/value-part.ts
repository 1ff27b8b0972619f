// A part of a string value (a flag inside a multi-line shell script) → where it is written. Block
// scalars, folded and quoted strings do not keep the value's offsets (indentation, folding, escapes),
// but they keep every run of non-blank characters: the n-th occurrence of the part in the value is
// the n-th occurrence in the source, as long as both hold the same number of occurrences.
import type { Span } from './types';

function occurrences(text: string, needle: string, before = Infinity): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(needle); i !== -1 && i < before; i = text.indexOf(needle, i + needle.length)) found.push(i);
  return found;
}

/**
 * The span of `value.slice(part.start, part.end)` inside `span` (the located value, or its `key: value`
 * pair) of `source`; undefined when the part holds blanks or escapes changed it.
 */
export function partSpan(source: string, span: Span, value: string, part: Span): Span | undefined {
  const needle = value.slice(part.start, part.end);
  if (needle.length === 0 || /\s/.test(needle) || value.length > 1_000_000) return undefined;
  const written = source.slice(span.start, span.end);
  const inValue = occurrences(value, needle);
  const inSource = occurrences(written, needle);
  if (inValue.length !== inSource.length) return undefined;
  const n = inValue.indexOf(part.start);
  if (n === -1) return undefined;
  const start = span.start + inSource[n];
  return { start, end: start + needle.length };
}
