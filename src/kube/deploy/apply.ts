// Server-side apply of a plan, one object at a time in dependency order, stopping at the first failure so
// the report can say exactly what was applied, what failed and what was never attempted.
import type { KubeConfig } from '@kubernetes/client-node';
import { FIELD_MANAGER, KubeApiError } from './api';
import { objectFailure, type ObjectFailure } from './object-failure';
import type { KubeManifest, PlannedObject } from './plan';
import { readLive, serverSideApply } from './ssa';

/** Records why a deploy went ahead despite the gate's findings ("Deploy anyway"). */
export const OVERRIDE_REASON_ANNOTATION = 'fintech-k8s.io/deploy-override-reason';

export type ObjectApplyResult =
  | {
      planned: PlannedObject;
      state: 'applied';
      /** False when the apply changed nothing (see appliedChange). */
      changed: boolean;
      created: boolean;
      warnings: string[];
    }
  | { planned: PlannedObject; state: 'failed'; failure: ObjectFailure }
  | { planned: PlannedObject; state: 'not-attempted' };

export interface ApplyReport {
  /** One entry per planned object, in apply order. */
  results: ObjectApplyResult[];
  applied: PlannedObject[];
  failed?: { planned: PlannedObject; failure: ObjectFailure };
  notAttempted: PlannedObject[];
  /** The signal fired before every object was attempted. */
  cancelled: boolean;
  ok: boolean;
}

export interface ApplyProgress {
  index: number;
  total: number;
  planned: PlannedObject;
  result?: ObjectApplyResult;
}

export interface ApplyOptions {
  /** Take over fields owned by other managers instead of failing with a conflict. Off unless the user asks. */
  force?: boolean;
  /** Stored in OVERRIDE_REASON_ANNOTATION on every applied object. */
  overrideReason?: string;
  signal?: AbortSignal;
  /** Called before each object (no result) and after it (with its result). */
  onProgress?: (progress: ApplyProgress) => void;
}

export async function applyPlan(kc: KubeConfig, objects: readonly PlannedObject[], options: ApplyOptions = {}): Promise<ApplyReport> {
  const results: ObjectApplyResult[] = [];
  let failed: ApplyReport['failed'];
  let cancelled = false;
  for (const [index, planned] of objects.entries()) {
    if (failed || cancelled || options.signal?.aborted) {
      cancelled ||= !failed && !!options.signal?.aborted;
      results.push({ planned, state: 'not-attempted' });
      continue;
    }
    options.onProgress?.({ index, total: objects.length, planned });
    const result = await applyOne(kc, planned, objects, options);
    results.push(result);
    if (result.state === 'failed') {
      failed = { planned, failure: result.failure };
      cancelled = result.failure.category === 'cancelled';
    }
    options.onProgress?.({ index, total: objects.length, planned, result });
  }
  return {
    results,
    applied: results.filter((r) => r.state === 'applied').map((r) => r.planned),
    failed,
    notAttempted: results.filter((r) => r.state === 'not-attempted').map((r) => r.planned),
    cancelled,
    ok: !failed && !cancelled,
  };
}

/** True when every object was applied and none changed: deploying the same text again did nothing. */
export function isNoOp(report: ApplyReport): boolean {
  return report.ok && report.results.every((r) => r.state === 'applied' && !r.changed);
}

async function applyOne(
  kc: KubeConfig,
  planned: PlannedObject,
  plan: readonly PlannedObject[],
  options: ApplyOptions,
): Promise<ObjectApplyResult> {
  try {
    const before = await liveBefore(kc, planned, options.signal);
    const manifest = options.overrideReason
      ? withAnnotation(planned.object, OVERRIDE_REASON_ANNOTATION, options.overrideReason)
      : planned.object;
    let applied;
    try {
      applied = await serverSideApply(kc, manifest, { force: options.force, signal: options.signal });
    } catch (error) {
      throw unknownOutcome(error);
    }
    const { object, created, warnings } = applied;
    // An unreadable "before" (the user may patch but not get) counts as changed: never claim a no-op we cannot prove.
    const changed = created || before === undefined || before === null || appliedChange(before, object, manifest);
    return { planned, state: 'applied', changed, created, warnings };
  } catch (error) {
    return { planned, state: 'failed', failure: objectFailure(planned, error, plan) };
  }
}

/** Connection errors that prove the request never reached the API server. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The apply request was sent and no answer came (a dropped connection, a timeout): the server may have
 * applied the object. Say so, instead of reporting a plain failure the user would take for "not applied".
 */
function unknownOutcome(error: unknown): unknown {
  if (error instanceof KubeApiError || !(error instanceof Error) || error.name === 'AbortError') return error;
  const codes: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code) codes.push(code);
  }
  if (codes.some((code) => NOT_SENT.has(code))) return error;
  return new Error(`${error.message}; the request was sent but no answer came, so it may have been applied: check the live object`, {
    cause: error,
  });
}

/** The live object; null when it does not exist; undefined when the user may not read it. */
async function liveBefore(kc: KubeConfig, planned: PlannedObject, signal?: AbortSignal): Promise<KubeManifest | null | undefined> {
  try {
    return (await readLive(kc, planned, signal)) ?? null;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 403) return undefined;
    throw error;
  }
}

/**
 * Whether the apply changed the object. Not by resourceVersion: controllers write status (and annotations such
 * as a Deployment's revision) between our read and our apply. Instead: did a value this manifest sets change,
 * or the set of fields our manager owns (a field dropped from the manifest is removed), or a Secret's data
 * (stringData is never stored; it lands in data)?
 */
export function appliedChange(before: KubeManifest, after: KubeManifest, manifest: KubeManifest): boolean {
  if (!sameJson(project(before, manifest), project(after, manifest))) return true;
  if (!sameJson(ownedFields(before), ownedFields(after))) return true;
  return manifest.kind === 'Secret' && !sameJson(before.data, after.data);
}

/** The parts of `value` at the paths `shape` (the manifest) writes. */
function project(value: unknown, shape: unknown): unknown {
  if (Array.isArray(shape)) return Array.isArray(value) ? shape.map((item, index) => project(value[index], item)) : value;
  if (shape && typeof shape === 'object') {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    const record = value as Record<string, unknown>;
    return Object.fromEntries(Object.entries(shape).map(([key, child]) => [key, project(record[key], child)]));
  }
  return value;
}

function ownedFields(object: KubeManifest): unknown {
  const entries = (object.metadata.managedFields ?? []) as {
    manager?: string;
    operation?: string;
    subresource?: string;
    fieldsV1?: unknown;
  }[];
  return entries.find((e) => e.manager === FIELD_MANAGER && e.operation === 'Apply' && !e.subresource)?.fieldsV1;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function withAnnotation(manifest: KubeManifest, key: string, value: string): KubeManifest {
  const annotations = { ...((manifest.metadata.annotations as Record<string, string> | undefined) ?? {}), [key]: value };
  return { ...manifest, metadata: { ...manifest.metadata, annotations } };
}
