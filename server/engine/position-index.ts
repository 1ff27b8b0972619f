// A lightweight position index for block-style YAML: finds the span of a document path by reading
// indentation and `key:` prefixes line by line, at a fraction of a full positioned parse. It answers
// only what it can answer exactly; anything unusual (flow collections on the way, anchors, tags, multi-line
// keys or values) returns undefined and the caller falls back to the full `yaml` parser (locate.ts).
import type { Located } from './locate';
import type { Path } from './types';

/** Keys that best identify a map reached through a list (a container, a port); same order as locate.ts. */
const IDENTIFYING_KEYS = ['name', 'kind', 'containerPort', 'port', 'key'];

interface Region {
  /** First line of the region and the column its content starts at (after `- ` for list items). */
  line: number;
  column: number;
  /** Lines of the region end before this line. */
  end: number;
  /** Its map entries by key, once read (null: beyond this index). */
  entries?: Map<string, Entry> | null;
  /** Its sequence items, once found. */
  items?: (Region | undefined | null)[];
}

interface Entry {
  line: number;
  keyStart: number;
  keyEnd: number;
  /** Offset of the inline value, or -1 when the value starts on a later line (or is empty). */
  valueStart: number;
  /** Last line (exclusive) that belongs to this entry's value. */
  end: number;
  /** The region of its value on later lines, once found. */
  child?: Region | null;
}

export class PositionIndex {
  private readonly starts: number[] = [];
  private readonly indents: number[] = [];
  /** True for blank lines, comment lines and document markers: they never carry structure. */
  private readonly skip: boolean[] = [];
  /** The document's top-level region: every path starts there, and caches hang off it. */
  private root: Region | undefined;

  constructor(private readonly text: string) {
    let start = 0;
    while (start <= text.length) {
      const newline = text.indexOf('\n', start);
      const end = newline === -1 ? text.length : newline;
      let column = start;
      while (column < end && text.charCodeAt(column) === 32) column++;
      const first = column < end ? text.charCodeAt(column) : -1;
      this.starts.push(start);
      this.indents.push(column - start);
      this.skip.push(
        first === -1 ||
          first === 13 ||
          first === 35 /* # */ ||
          (column === start && (text.startsWith('---', start) || text.startsWith('...', start) || first === 37)) /* % */,
      );
      if (newline === -1) break;
      start = newline + 1;
    }
  }

  /** The span for path, or undefined when only the full parser can tell exactly. */
  locate(path: Path): Located | undefined {
    const rootLine = this.nextContentLine(0, this.starts.length);
    if (rootLine === -1) return undefined;
    if (this.text.startsWith('--- ', this.starts[rootLine])) return undefined;
    this.root ??= { line: rootLine, column: this.indents[rootLine], end: this.starts.length };
    let region: Region = this.root;
    let viaIndex = false;
    let lastEntry: Entry | undefined;
    for (let depth = 0; depth < path.length; depth++) {
      const step = path[depth];
      if (typeof step === 'string') {
        if (this.isSequence(region)) return this.nearest(region, lastEntry, viaIndex || depth === 0);
        const entry = this.findKey(region, step);
        if (entry === null) return undefined;
        if (!entry) return this.nearest(region, lastEntry, viaIndex || depth === 0);
        if (depth === path.length - 1) return this.pairSpan(entry);
        const child = this.valueRegion(entry);
        if (child === null) return undefined;
        if (!child) return { start: entry.keyStart, end: entry.keyEnd, exact: false };
        region = child;
        lastEntry = entry;
        viaIndex = false;
      } else {
        if (!this.isSequence(region)) return lastEntry ? { start: lastEntry.keyStart, end: lastEntry.keyEnd, exact: false } : undefined;
        const item = this.sequenceItem(region, step);
        if (item === null) return undefined;
        if (!item) return lastEntry ? { start: lastEntry.keyStart, end: lastEntry.keyEnd, exact: false } : undefined;
        if (depth === path.length - 1) return this.itemSpan(item);
        region = item;
        viaIndex = true;
        lastEntry = undefined;
      }
    }
    return undefined;
  }

  private nearest(region: Region, lastEntry: Entry | undefined, identify: boolean): Located | undefined {
    if (!identify && lastEntry) return { start: lastEntry.keyStart, end: lastEntry.keyEnd, exact: false };
    const anchor = this.anchorSpan(region);
    return anchor && { ...anchor, exact: false };
  }

  /** key: value for inline scalars, the key alone for collections. */
  private pairSpan(entry: Entry): Located | undefined {
    if (entry.valueStart === -1) {
      // A value on the next lines is a collection, unless it is a multi-line scalar (the parser knows its extent).
      const next = this.nextContentLine(entry.line + 1, entry.end);
      if (next !== -1 && !this.isDash(next, this.indents[next]) && !this.entryAt(next, this.indents[next], entry.end)) return undefined;
      return { start: entry.keyStart, end: entry.keyEnd, exact: true };
    }
    const first = this.text[entry.valueStart];
    if (first === '{' || first === '[') return { start: entry.keyStart, end: entry.keyEnd, exact: true };
    if (first === '|' || first === '>' || first === '&' || first === '!' || first === '*') return undefined;
    if (entry.end > entry.line + 1 && this.nextContentLine(entry.line + 1, entry.end) !== -1) return undefined; // multi-line scalar
    const end = this.scalarEnd(entry.valueStart);
    return end === -1 ? undefined : { start: entry.keyStart, end, exact: true };
  }

  private itemSpan(item: Region): Located | undefined {
    const offset = this.starts[item.line] + item.column;
    const first = this.text[offset];
    if (
      first === '{' ||
      first === '[' ||
      first === '-' ||
      first === '&' ||
      first === '!' ||
      first === '*' ||
      first === '|' ||
      first === '>'
    )
      return undefined;
    const entry = this.entryAt(item.line, item.column, item.end);
    if (entry === null) return undefined;
    if (entry) {
      const anchor = this.anchorSpan(item);
      return anchor && { ...anchor, exact: true };
    }
    if (this.nextContentLine(item.line + 1, item.end) !== -1) return undefined;
    const end = this.scalarEnd(offset);
    return end === -1 ? undefined : { start: offset, end, exact: true };
  }

  private anchorSpan(region: Region): { start: number; end: number } | undefined {
    for (const key of IDENTIFYING_KEYS) {
      const entry = this.findKey(region, key);
      if (entry === null) return undefined;
      if (entry) return this.pairSpan(entry);
    }
    const first = this.entryAt(region.line, region.column, region.end);
    return first ? this.pairSpan(first) : undefined;
  }

  /** The entry for key; undefined when absent; null when the region is beyond this index (use the parser). */
  private findKey(region: Region, key: string): Entry | undefined | null {
    const entries = this.entriesOf(region);
    if (entries === null) return null;
    return entries.get(key);
  }

  /** The map entries of a region by key, read once: many findings of one object walk the same maps. */
  private entriesOf(region: Region): Map<string, Entry> | null {
    if (region.entries !== undefined) return region.entries;
    let entries: Map<string, Entry> | null = new Map();
    let line = region.line;
    while (line !== -1 && line < region.end) {
      const entry = this.entryAt(line, line === region.line ? region.column : this.indents[line], region.end);
      if (!entry) {
        entries = null;
        break;
      }
      entries.set(this.keyText(entry), entry);
      line = this.nextContentLine(entry.end, region.end);
      if (line !== -1 && this.indents[line] !== region.column) break;
    }
    region.entries = entries;
    return entries;
  }

  /** Parses `key: value` at (line, column); undefined when the line holds no key; null when unsure. */
  private entryAt(line: number, column: number, regionEnd: number): Entry | undefined | null {
    const lineStart = this.starts[line];
    const lineEnd = this.lineEnd(line);
    const keyStart = lineStart + column;
    let keyEnd: number;
    const first = this.text[keyStart];
    if (first === '"' || first === "'") {
      const close = this.text.indexOf(first, keyStart + 1);
      if (close === -1 || close > lineEnd || (first === '"' && this.text.slice(keyStart, close).includes('\\'))) return null;
      keyEnd = close + 1;
      if (this.text[keyEnd] !== ':') return null;
    } else {
      if (first === '?' || first === '-' || first === '{' || first === '[' || first === '&' || first === '!' || first === '*') return null;
      keyEnd = this.indexInLine(':', keyStart, lineEnd);
      while (keyEnd !== -1 && !isBreakOrSpace(this.text.charCodeAt(keyEnd + 1), keyEnd + 1 === lineEnd))
        keyEnd = this.indexInLine(':', keyEnd + 1, lineEnd);
      if (keyEnd === -1) return undefined;
      const hash = this.indexInLine(' #', keyStart, keyEnd);
      if (hash !== -1) return undefined;
    }
    let valueStart = keyEnd + 1;
    while (valueStart < lineEnd && this.text.charCodeAt(valueStart) === 32) valueStart++;
    if (valueStart >= lineEnd || this.text[valueStart] === '#') valueStart = -1;
    else if (this.text.charCodeAt(valueStart) === 13) valueStart = -1;
    return { line, keyStart, keyEnd, valueStart, end: this.entryEnd(line, column, valueStart === -1, regionEnd) };
  }

  private keyText(entry: Entry): string {
    const raw = this.text.slice(entry.keyStart, entry.keyEnd).trimEnd();
    return raw[0] === '"' || raw[0] === "'" ? raw.slice(1, -1) : raw;
  }

  /** Lines after `line` that belong to an entry at `column`: deeper lines, and `- ` lines at the same column under an empty key. */
  private entryEnd(line: number, column: number, emptyValue: boolean, regionEnd: number): number {
    let next = line + 1;
    while (next < regionEnd) {
      if (!this.skip[next]) {
        const indent = this.indents[next];
        if (indent < column) break;
        if (indent === column && !(emptyValue && this.isDash(next, indent))) break;
      }
      next++;
    }
    return next;
  }

  /** The region of an entry's value on the following lines; undefined when scalar/empty; null when unsure. */
  private valueRegion(entry: Entry): Region | undefined | null {
    if (entry.child === undefined) entry.child = this.findValueRegion(entry) ?? null;
    // null caches both "scalar" and "unsure"; tell them apart again by the inline value.
    if (entry.child) return entry.child;
    return entry.valueStart !== -1 && isFlowOrNode(this.text[entry.valueStart]) ? null : undefined;
  }

  private findValueRegion(entry: Entry): Region | undefined | null {
    if (entry.valueStart !== -1) {
      const first = this.text[entry.valueStart];
      // An inline flow collection, anchor, tag or block scalar: the path goes where only the parser can follow.
      return isFlowOrNode(first) ? null : undefined;
    }
    const line = this.nextContentLine(entry.line + 1, entry.end);
    if (line === -1) return undefined;
    return { line, column: this.indents[line], end: entry.end };
  }

  private isSequence(region: Region): boolean {
    return this.isDash(region.line, region.column);
  }

  private isDash(line: number, column: number): boolean {
    const offset = this.starts[line] + column;
    return this.text[offset] === '-' && isBreakOrSpace(this.text.charCodeAt(offset + 1), offset + 1 >= this.lineEnd(line));
  }

  /** The i-th item of a block sequence as a region starting after its `- `; undefined when absent; null when unsure. */
  private sequenceItem(region: Region, index: number): Region | undefined | null {
    region.items ??= [];
    if (!(index in region.items)) region.items[index] = this.findSequenceItem(region, index);
    return region.items[index];
  }

  private findSequenceItem(region: Region, index: number): Region | undefined | null {
    let line = region.line;
    let seen = 0;
    while (line !== -1 && line < region.end) {
      if (this.indents[line] !== region.column && line !== region.line) return undefined;
      if (!this.isDash(line, region.column)) return null;
      const end = this.itemEnd(line, region.column, region.end);
      if (seen === index) {
        let column = region.column + 1;
        const lineEnd = this.lineEnd(line);
        while (this.starts[line] + column < lineEnd && this.text.charCodeAt(this.starts[line] + column) === 32) column++;
        if (this.starts[line] + column >= lineEnd || this.text[this.starts[line] + column] === '#') {
          const first = this.nextContentLine(line + 1, end);
          return first === -1 ? null : { line: first, column: this.indents[first], end };
        }
        return { line, column, end };
      }
      seen++;
      line = this.nextContentLine(end, region.end);
    }
    return undefined;
  }

  private itemEnd(line: number, dashColumn: number, regionEnd: number): number {
    let next = line + 1;
    while (next < regionEnd && (this.skip[next] || this.indents[next] > dashColumn)) next++;
    return next;
  }

  private nextContentLine(from: number, end: number): number {
    for (let line = from; line < end; line++) if (!this.skip[line]) return line;
    return -1;
  }

  private lineEnd(line: number): number {
    const next = this.starts[line + 1];
    let end = next === undefined ? this.text.length : next - 1;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** End of a one-line scalar starting at offset (before a trailing comment); -1 when it continues. */
  private scalarEnd(offset: number): number {
    const line = this.lineOf(offset);
    const lineEnd = this.lineEnd(line);
    const quote = this.text[offset];
    if (quote === '"' || quote === "'") {
      let i = offset + 1;
      while (i < lineEnd) {
        const c = this.text[i];
        if (quote === '"' && c === '\\') i += 2;
        else if (c === quote && quote === "'" && this.text[i + 1] === "'") i += 2;
        else if (c === quote) return i + 1;
        else i++;
      }
      return -1;
    }
    const hash = this.indexInLine(' #', offset, lineEnd);
    let end = hash === -1 ? lineEnd : hash;
    while (end > offset && (this.text.charCodeAt(end - 1) === 32 || this.text.charCodeAt(end - 1) === 9)) end--;
    return end;
  }

  /** indexOf bounded to [from, end): never scans past the line. */
  private indexInLine(needle: string, from: number, end: number): number {
    for (let i = from; i + needle.length <= end; i++) {
      if (this.text.startsWith(needle, i)) return i;
    }
    return -1;
  }

  private lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}

function isBreakOrSpace(code: number, atEnd: boolean): boolean {
  return atEnd || code === 32 || code === 9 || code === 13 || code === 10 || Number.isNaN(code);
}

/** An inline flow collection, anchor, tag or alias: the path goes where only the parser can follow. */
function isFlowOrNode(first: string): boolean {
  return first === '{' || first === '[' || first === '&' || first === '!' || first === '*';
}
