// Server-side apply of a plan, one object at a time in dependency order, stopping at the first failure so
// the report can say exactly what was applied, what failed and what was never attempted.
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError } from './api';
import { objectFailure, type ObjectFailure } from './object-failure';
import type { KubeManifest, PlannedObject } from './plan';
import { readLive, serverSideApply } from './ssa';

/** Records why a deploy went ahead despite the gate's findings ("Deploy anyway"). */
export const OVERRIDE_REASON_ANNOTATION = 'fintech-k8s.io/deploy-override-reason';

export type ObjectApplyResult =
  | {
      planned: PlannedObject;
      state: 'applied';
      /** False when the apply changed nothing (the resourceVersion stayed the same). */
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

async function applyOne(kc: KubeConfig, planned: PlannedObject, plan: readonly PlannedObject[], options: ApplyOptions): Promise<ObjectApplyResult> {
  try {
    const before = await resourceVersionBefore(kc, planned, options.signal);
    const manifest = options.overrideReason ? withAnnotation(planned.object, OVERRIDE_REASON_ANNOTATION, options.overrideReason) : planned.object;
    const { object, created, warnings } = await serverSideApply(kc, manifest, { force: options.force, signal: options.signal });
    const after = object.metadata?.resourceVersion;
    // An unreadable "before" (the user may patch but not get) counts as changed: never claim a no-op we cannot prove.
    const changed = created || before === undefined || before !== after;
    return { planned, state: 'applied', changed, created, warnings };
  } catch (error) {
    return { planned, state: 'failed', failure: objectFailure(planned, error, plan) };
  }
}

/** The live resourceVersion; null when the object does not exist; undefined when it cannot be read. */
async function resourceVersionBefore(kc: KubeConfig, planned: PlannedObject, signal?: AbortSignal): Promise<string | null | undefined> {
  try {
    const live = await readLive(kc, planned, signal);
    return live ? (live.metadata.resourceVersion as string | undefined) : null;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 403) return undefined;
    throw error;
  }
}

function withAnnotation(manifest: KubeManifest, key: string, value: string): KubeManifest {
  const annotations = { ...((manifest.metadata.annotations as Record<string, string> | undefined) ?? {}), [key]: value };
  return { ...manifest, metadata: { ...manifest.metadata, annotations } };
}
