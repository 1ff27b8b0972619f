// Where a follow stream resumes after a drop, and which replayed lines were already delivered. The API
// server passes `sinceTime` to the kubelet in whole seconds, so a resumed stream repeats the lines of
// that second; timestamps are compared at full (nanosecond) precision and identical lines at the same
// instant are counted, so nothing is shown twice and nothing is skipped.

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Nanoseconds since the epoch of an RFC3339(Nano) timestamp as the kubelet prints it; undefined if it is not one. */
export function parseLogTimestamp(timestamp: string): bigint | undefined {
  const match = RFC3339.exec(timestamp);
  if (!match) return undefined;
  const millis = Date.parse(match[1] + match[3]);
  if (Number.isNaN(millis)) return undefined;
  return BigInt(millis) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/** The whole second containing `nanos`, as an RFC3339 `sinceTime` (`2026-05-01T12:00:05Z`). */
export function wholeSecond(nanos: bigint): string {
  const seconds = nanos / 1_000_000_000n - (nanos < 0n && nanos % 1_000_000_000n !== 0n ? 1n : 0n);
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One log line as served with `timestamps=true`: `<timestamp> <text>`. */
export function splitTimestamp(raw: string): { timestamp: string; nanos: bigint; text: string } | undefined {
  const space = raw.indexOf(' ');
  const timestamp = space < 0 ? raw : raw.slice(0, space);
  const nanos = parseLogTimestamp(timestamp);
  if (nanos === undefined) return undefined;
  return { timestamp, nanos, text: space < 0 ? '' : raw.slice(space + 1) };
}

/**
 * The last delivered instant and the lines delivered at exactly that instant. After a reconnect
 * (beginReplay), the replayed lines older than that instant are dropped (they were delivered, or left
 * out on purpose by tailLines/sinceSeconds), and at that instant as many copies of each text as were
 * delivered; everything after is new.
 */
export class ResumePoint {
  private lastNanos: bigint | undefined;
  private readonly atLast = new Map<string, number>();
  private replaying: Map<string, number> | undefined;

  /** `sinceTime` for the next request: the second of the last delivered line; undefined before any line. */
  sinceTime(): string | undefined {
    return this.lastNanos === undefined ? undefined : wholeSecond(this.lastNanos);
  }

  /** Call when a resumed stream opens: its first lines repeat what was delivered. */
  beginReplay(): void {
    this.replaying = this.lastNanos === undefined ? undefined : new Map(this.atLast);
  }

  /** True when the line is new (and records it as delivered); false for a replayed duplicate. */
  accept(nanos: bigint, text: string): boolean {
    if (this.replaying !== undefined) {
      const last = this.lastNanos!;
      if (nanos < last) return false;
      if (nanos === last) {
        const left = this.replaying.get(text) ?? 0;
        if (left > 0) {
          this.replaying.set(text, left - 1);
          return false;
        }
      } else {
        this.replaying = undefined;
      }
    }
    // An out-of-order (older) line is shown but does not move the resume point back.
    if (this.lastNanos === undefined || nanos > this.lastNanos) {
      this.lastNanos = nanos;
      this.atLast.clear();
    }
    if (nanos === this.lastNanos) this.atLast.set(text, (this.atLast.get(text) ?? 0) + 1);
    return true;
  }
}
