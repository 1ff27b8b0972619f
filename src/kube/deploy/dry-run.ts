// Server-side dry run of every planned object: the API server validates, defaults and runs admission
// (Pod Security, webhooks, immutability) without persisting anything. Failures come back per object with
// their causes placed on the manifest's lines.
import type { KubeConfig } from '@kubernetes/client-node';
import { objectFailure, type ObjectFailure } from './object-failure';
import type { KubeManifest, PlannedObject } from './plan';
import { serverSideApply } from './ssa';

export interface DryRunSuccess {
  ok: true;
  /**
   * The object as the apply would leave it (live object merged with the manifest, defaults filled in). For a
   * Secret this holds its values in clear: show it only through diff.ts, which masks them.
   */
  result: KubeManifest;
  /** True when the object does not exist yet. */
  created: boolean;
  /** `Warning` headers, e.g. Pod Security "would violate" warnings on workloads. */
  warnings: string[];
}

export type DryRunOutcome = (DryRunSuccess | ObjectFailure) & { planned: PlannedObject };

export interface DryRunOptions {
  signal?: AbortSignal;
  /** Dry run with force, as the apply will be if it is to take over conflicting fields. */
  force?: boolean;
  /** Requests in flight at once. */
  concurrency?: number;
}

/** One outcome per planned object, in the plan's order. Never throws for an object's failure. */
export async function dryRunPlan(kc: KubeConfig, objects: readonly PlannedObject[], options: DryRunOptions = {}): Promise<DryRunOutcome[]> {
  const outcomes: DryRunOutcome[] = new Array(objects.length);
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      const index = next++;
      const planned = objects[index];
      try {
        const { object, created, warnings } = await serverSideApply(kc, planned.object, {
          dryRun: true,
          force: options.force,
          signal: options.signal,
        });
        outcomes[index] = { ok: true, result: object, created, warnings, planned };
      } catch (error) {
        outcomes[index] = { ...objectFailure(planned, error, objects), planned };
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, objects.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return outcomes;
}
