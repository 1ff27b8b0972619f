// An API error for one object → what the UI shows: a category, the API's message, and each cause put on
// its line in the manifest (the exact key where it exists, else its nearest written parent, else the
// document's first line).
import { KubeApiError } from './api';
import { describeObject, locateField, type PlannedObject, type SourceRange } from './plan';

export type FailureCategory =
  | 'invalid' // 422, or a manifest that does not fit the schema
  | 'immutable' // 422 on a field that cannot change (a Deployment's selector, a Job's template)
  | 'admission-denied' // Pod Security, an admission webhook or policy said no
  | 'forbidden' // RBAC: the user may not do this
  | 'conflict' // 409: another field manager owns the field (apply with force to take it over)
  | 'not-found' // 404: the namespace or the kind does not exist
  | 'unreachable' // no HTTP answer: network, TLS, credentials plugin
  | 'cancelled'
  | 'other';

export interface FieldCause {
  /** The API's field path, when it gave one. */
  field?: string;
  message: string;
  reason?: string;
  range: SourceRange;
  /** False when the field is not written in the manifest (e.g. a required value) and the range is its parent's. */
  exact: boolean;
}

export interface ObjectFailure {
  ok: false;
  /** HTTP status; 0 when there was no answer. */
  status: number;
  reason?: string;
  category: FailureCategory;
  message: string;
  causes: FieldCause[];
  /** Where a single diagnostic for the whole failure goes: the first cause, else the document's first line. */
  range: SourceRange;
  /**
   * Set when the failure only means that another object of this plan does not exist yet (its Namespace,
   * the CRD of its kind, its ServiceAccount): a dry run cannot check it before the apply; the apply, in
   * dependency order, can succeed.
   */
  pendingDependency?: string;
  warnings: string[];
}

export function objectFailure(planned: PlannedObject, error: unknown, plan: readonly PlannedObject[] = []): ObjectFailure {
  if (!(error instanceof KubeApiError)) {
    const aborted = error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      status: 0,
      category: aborted ? 'cancelled' : 'unreachable',
      message: aborted ? `${describeObject(planned)}: cancelled or timed out` : `${describeObject(planned)}: ${message}`,
      causes: [],
      range: planned.headRange,
      warnings: [],
    };
  }
  const message = error.body.message || error.message;
  const causes: FieldCause[] = [];
  for (const cause of error.body.details?.causes ?? []) {
    const field = cause.field && cause.field !== '<nil>' ? cause.field : undefined;
    const location = field ? locateField(planned, field) : { range: planned.headRange, exact: false };
    causes.push({ field, message: cause.message ?? message, reason: cause.reason, ...location });
  }
  if (causes.length === 0) {
    for (const { field, message: text } of schemaErrors(message)) causes.push({ field, message: text, ...locateField(planned, field) });
  }
  return {
    ok: false,
    status: error.status,
    reason: error.body.reason,
    category: categorize(error.status, message, causes),
    message,
    causes,
    range: causes[0]?.range ?? planned.headRange,
    pendingDependency: pendingDependency(planned, error, message, plan),
    warnings: error.warnings,
  };
}

function categorize(status: number, message: string, causes: FieldCause[]): FailureCategory {
  if (/admission webhook .* denied the request|denied request:|violates PodSecurity|ValidatingAdmissionPolicy/i.test(message))
    return 'admission-denied';
  if (status === 422)
    return causes.some((c) => /field is immutable/i.test(c.message)) || /field is immutable/i.test(message) ? 'immutable' : 'invalid';
  if (status === 403) return /\bcannot \w+ resource\b/.test(message) ? 'forbidden' : 'admission-denied';
  if (status === 409) return 'conflict';
  if (status === 404) return 'not-found';
  if (status === 400 || (status === 500 && causes.length > 0)) return 'invalid';
  return 'other';
}

/**
 * Server-side apply reports a manifest that does not fit the schema (an unknown field, a string where a number
 * goes) as a 500 without causes: `failed to create typed patch object (...): .spec.x[name="a"].y: <problem>`,
 * sometimes several, one per line. Their paths use structured-merge-diff syntax.
 */
export function schemaErrors(message: string): { field: string; message: string }[] {
  const found: { field: string; message: string }[] = [];
  for (const line of message.split('\n')) {
    const marker = line.indexOf('): .');
    let rest = marker !== -1 && /typed patch|typed value|conflict/i.test(line) ? line.slice(marker + 3) : line.trimStart();
    rest = rest.replace(/^errors?:\s*/, '').replace(/^-\s*/, '');
    if (!rest.startsWith('.')) continue;
    const end = pathEnd(rest);
    if (end === -1) continue;
    found.push({ field: rest.slice(0, end), message: rest.slice(end + 2).trim() });
  }
  return found;
}

/** Index of the `: ` that ends a leading field path (outside brackets and quotes), or -1. */
function pathEnd(text: string): number {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (depth === 0 && c === ':' && text[i + 1] === ' ') return i;
    else if (depth === 0 && c === ' ') return -1;
  }
  return -1;
}

function pendingDependency(
  planned: PlannedObject,
  error: KubeApiError,
  message: string,
  plan: readonly PlannedObject[],
): string | undefined {
  const inPlan = (kind: string, name: string, namespace?: string) =>
    plan.find((p) => p !== planned && p.kind === kind && p.name === name && (namespace === undefined || p.namespace === namespace));
  const details = error.body.details;
  if (error.status === 404 && details?.kind === 'namespaces' && details.name) {
    const namespace = inPlan('Namespace', details.name);
    if (namespace) return describeObject(namespace);
  }
  if (error.status === 404 && /does not serve kind/.test(message)) {
    const group = planned.apiVersion.includes('/') ? planned.apiVersion.split('/')[0] : '';
    const crd = plan.find((p) => {
      const spec = p.object.spec as { group?: string; names?: { kind?: string } } | undefined;
      return p.kind === 'CustomResourceDefinition' && spec?.group === group && spec.names?.kind === planned.kind;
    });
    if (crd) return describeObject(crd);
  }
  const account = /service ?account "([^"]+)" not found/i.exec(message);
  if (account && planned.namespace) {
    const found = inPlan('ServiceAccount', account[1], planned.namespace);
    if (found) return describeObject(found);
  }
  return undefined;
}
