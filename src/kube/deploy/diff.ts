// Live object vs what the apply would make of it, as two YAML texts for VS Code's diff editor. Both sides
// drop what the server maintains (managed fields, status, resourceVersion…), and Secret values are masked on
// both sides: only their byte length, and whether they change, are shown.
import type { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { dryRunPlan, type DryRunOutcome } from './dry-run';
import { objectFailure, type ObjectFailure } from './object-failure';
import type { PlannedObject } from './plan';
import { readLive } from './ssa';

export interface DiffText {
  /** Live object; empty when it does not exist yet. */
  left: string;
  /** The object after the apply. */
  right: string;
  changed: boolean;
}

export interface ObjectDiff extends DiffText {
  planned: PlannedObject;
  /** `unknown` when the live object could not be read (e.g. the user may not get Secrets). */
  live: 'present' | 'absent' | 'unknown';
  /** Why the right side is the manifest as written rather than the server's dry-run result, or why the left is unknown. */
  error?: ObjectFailure;
}

type Json = Record<string, unknown>;

/**
 * kubectl's client-side apply keeps the whole manifest here, Secret values in clear; the Deployment controller
 * bumps the revision asynchronously, so the live read and the dry run may see different ones mid-rollout.
 */
const HIDDEN_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/revision'];
const SERVER_METADATA = ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'selfLink'];

/** A copy without the fields the server maintains, which would only be noise in a diff. */
export function normalizeForDisplay(object: Json): Json {
  const copy = structuredClone(object);
  delete copy.status;
  const metadata = copy.metadata as Json | undefined;
  if (metadata) {
    for (const key of SERVER_METADATA) delete metadata[key];
    const annotations = metadata.annotations as Record<string, string> | undefined;
    if (annotations) {
      for (const key of HIDDEN_ANNOTATIONS) delete annotations[key];
      if (Object.keys(annotations).length === 0) delete metadata.annotations;
    }
  }
  return copy;
}

function isSecret(object: Json | undefined): boolean {
  return !!object && object.kind === 'Secret' && object.apiVersion === 'v1';
}

/** Each value's bytes: `data` is base64, `stringData` is text. */
function secretBytes(object: Json | undefined): Map<string, Buffer> {
  const values = new Map<string, Buffer>();
  if (!isSecret(object)) return values;
  for (const [key, value] of Object.entries((object!.data as Json | undefined) ?? {}))
    values.set(key, Buffer.from(String(value ?? ''), 'base64'));
  // stringData wins over data for the same key, as in the API server.
  for (const [key, value] of Object.entries((object!.stringData as Json | undefined) ?? {}))
    values.set(key, Buffer.from(String(value ?? ''), 'utf8'));
  return values;
}

function mask(
  object: Json | undefined,
  bytes: Map<string, Buffer>,
  other: Map<string, Buffer> | undefined,
  side: 'before' | 'after',
): void {
  if (!isSecret(object)) return;
  for (const field of ['data', 'stringData']) {
    const values = object![field] as Json | undefined;
    if (!values || typeof values !== 'object') continue;
    for (const key of Object.keys(values)) {
      const value = bytes.get(key)!;
      const counterpart = other?.get(key);
      const differs = counterpart !== undefined && !counterpart.equals(value);
      values[key] = `*** (${value.length} bytes${differs ? `, ${side}` : ''})`;
    }
  }
}

/**
 * Masks Secret `data` and `stringData` values in place, in both objects. A value that differs between the
 * two sides is marked `before`/`after`, so a change of a secret stays visible without showing it.
 */
export function maskSecretValues(live: Json | undefined, desired: Json | undefined): void {
  const liveBytes = secretBytes(live);
  const desiredBytes = secretBytes(desired);
  mask(live, liveBytes, isSecret(desired) ? desiredBytes : undefined, 'before');
  mask(desired, desiredBytes, isSecret(live) ? liveBytes : undefined, 'after');
}

export function toDisplayYaml(object: Json | undefined): string {
  if (!object) return '';
  // Sorted keys: the same object always renders the same, whichever side its key order came from.
  return stringify(object, { sortMapEntries: true, lineWidth: 0 });
}

/** The pure part of the diff: normalise, mask, render. `live` undefined = the object is new. */
export function renderDiff(live: Json | undefined, desired: Json): DiffText {
  const left = live ? normalizeForDisplay(live) : undefined;
  const right = normalizeForDisplay(desired);
  maskSecretValues(left, right);
  const leftText = toDisplayYaml(left);
  const rightText = toDisplayYaml(right);
  return { left: leftText, right: rightText, changed: leftText !== rightText };
}

export interface DiffOptions {
  signal?: AbortSignal;
  /** Dry-run outcomes already computed for these objects (same order); saves a second dry run. */
  dryRuns?: readonly DryRunOutcome[];
  force?: boolean;
}

/** One diff per planned object, in the plan's order. */
export async function diffPlan(kc: KubeConfig, objects: readonly PlannedObject[], options: DiffOptions = {}): Promise<ObjectDiff[]> {
  const dryRuns = options.dryRuns ?? (await dryRunPlan(kc, objects, { signal: options.signal, force: options.force }));
  return Promise.all(
    objects.map(async (planned, index): Promise<ObjectDiff> => {
      const dryRun = dryRuns[index];
      let live: Json | undefined;
      let liveState: ObjectDiff['live'] = 'absent';
      let error: ObjectFailure | undefined = dryRun && !dryRun.ok ? dryRun : undefined;
      try {
        live = await readLive(kc, planned, options.signal);
        if (live) liveState = 'present';
      } catch (readError) {
        liveState = 'unknown';
        error ??= objectFailure(planned, readError, objects);
      }
      const desired = dryRun?.ok ? dryRun.result : planned.object;
      return { planned, ...renderDiff(live, desired), live: liveState, error };
    }),
  );
}
