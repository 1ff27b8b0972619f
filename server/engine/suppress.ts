// Inline suppressions: the object annotation `ignore.fintech-k8s.io/<rule-id>: "<reason>"` and the
// comment `# fintech-k8s-ignore <rule-id>: <reason>` on the flagged line or the comment lines above it.
import { annotationsOf } from './objects';
import type { LineIndex } from './line-index';
import type { K8sObject, Suppression } from './types';

export const SUPPRESSION_ANNOTATION_PREFIX = 'ignore.fintech-k8s.io/';
export const SUPPRESSION_COMMENT_KEYWORD = 'fintech-k8s-ignore';

const COMMENT_PATTERN = /(^|\s)#\s*fintech-k8s-ignore\b[ \t]*([^\s:]*)[ \t]*(?::(.*))?/;

export interface SuppressionComment {
  line: number;
  ruleId: string;
  reason: string;
  /** Offsets of the comment in the file. */
  start: number;
  end: number;
  /** True when nothing but the comment stands on its line. */
  ownLine: boolean;
}

/** Finds every suppression comment of a file; cheap when there are none. */
export function findSuppressionComments(lines: LineIndex): Map<number, SuppressionComment> {
  const found = new Map<number, SuppressionComment>();
  if (!lines.text.includes(SUPPRESSION_COMMENT_KEYWORD)) return found;
  for (let line = 0; line < lines.lineCount; line++) {
    const text = lines.lineText(line);
    if (!text.includes(SUPPRESSION_COMMENT_KEYWORD)) continue;
    const match = COMMENT_PATTERN.exec(text);
    if (!match) continue;
    const column = match.index + match[1].length;
    found.set(line, {
      line,
      ruleId: match[2],
      reason: (match[3] ?? '').trim(),
      start: lines.lineStart(line) + column,
      end: lines.lineStart(line) + text.length,
      ownLine: text.slice(0, column).trim() === '',
    });
  }
  return found;
}

/** The comment that silences ruleId at line: on the line itself, or in the comment block right above. */
export function commentSuppressing(
  comments: Map<number, SuppressionComment>,
  lines: LineIndex,
  line: number,
  ruleId: string,
): SuppressionComment | undefined {
  if (comments.size === 0) return undefined;
  const same = comments.get(line);
  if (same?.ruleId === ruleId) return same;
  for (let above = line - 1; above >= 0; above--) {
    const comment = comments.get(above);
    if (comment?.ownLine) {
      if (comment.ruleId === ruleId) return comment;
      continue;
    }
    if (!/^\s*#/.test(lines.lineText(above))) break;
  }
  return undefined;
}

// Most objects carry no suppression annotation: read each object's once, not once per finding.
const annotationSuppressions = new WeakMap<K8sObject, Map<string, string>>();

export function annotationSuppressing(object: K8sObject, ruleId: string): Suppression | undefined {
  let byRule = annotationSuppressions.get(object);
  if (!byRule) {
    byRule = new Map(suppressionAnnotations(object).map(({ ruleId: id, reason }) => [id, reason]));
    annotationSuppressions.set(object, byRule);
  }
  const reason = byRule.get(ruleId);
  return reason === undefined ? undefined : { by: 'annotation', reason };
}

/** Suppression annotations of an object: [annotation key, rule id, reason]. */
export function suppressionAnnotations(object: K8sObject): { key: string; ruleId: string; reason: string }[] {
  return Object.entries(annotationsOf(object.value))
    .filter(([key]) => key.startsWith(SUPPRESSION_ANNOTATION_PREFIX))
    .map(([key, reason]) => ({
      key,
      ruleId: key.slice(SUPPRESSION_ANNOTATION_PREFIX.length),
      reason: typeof reason === 'string' ? reason.trim() : '',
    }));
}
