// One outline entry per Kubernetes object (`Deployment/payments-api`), spanning its YAML node.
import { LineIndex } from './line-index';
import { walk } from './locate';
import { objectsOfDocument } from './objects';
import { parseSegment, splitDocuments, type ParsedSegment } from './parse';
import type { ObjectRef, Range, Span } from './types';

export interface ObjectSymbol extends ObjectRef {
  span: Span;
  range: Range;
  /** Where the name is written (metadata.name), for the outline's selection. */
  nameRange: Range;
}

export function objectSymbols(text: string, parse: (text: string) => ParsedSegment = parseSegment): ObjectSymbol[] {
  const lines = new LineIndex(text);
  const symbols: ObjectSymbol[] = [];
  for (const segment of splitDocuments(text)) {
    const parsed = parse(segment.text);
    if (parsed.error) continue;
    for (const object of objectsOfDocument(parsed.value, '', segment.index)) {
      const doc = parsed.positioned();
      const node = walk(doc, object.path).node;
      const [start, end] = node?.range ?? [0, segment.text.length];
      const nameNode = walk(doc, [...object.path, 'metadata', 'name']);
      const nameRange = nameNode.depth === object.path.length + 2 && nameNode.node?.range ? nameNode.node.range : [start, start];
      const span = { start: segment.start + start, end: segment.start + end };
      symbols.push({
        kind: object.kind,
        apiVersion: object.apiVersion,
        name: object.name,
        namespace: object.namespace,
        span,
        range: lines.rangeOf(span),
        nameRange: lines.rangeOf({ start: segment.start + nameRange[0], end: segment.start + nameRange[1] }),
      });
    }
  }
  return symbols;
}
