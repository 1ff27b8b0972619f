// Expect-style waiting: poll a condition until it holds or a bounded timeout runs out, so the suite waits
// for what it needs and no longer (no fixed sleeps where a condition can be awaited).

export interface PollOptions {
  /** Give up after this long (ms). */
  timeout?: number;
  /** Pause between tries (ms). */
  interval?: number;
  /** What was awaited, for the error message. */
  message?: string;
}

const DEFAULT_TIMEOUT = 20_000;
const DEFAULT_INTERVAL = 100;

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Calls `probe` until it returns something other than undefined, null or false, and returns that.
 * Errors thrown by the probe count as "not yet"; the last one is reported on timeout.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: PollOptions = {},
): Promise<T> {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const interval = options.interval ?? DEFAULT_INTERVAL;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value as T;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`Timed out after ${timeout} ms waiting for ${options.message ?? 'a condition'}${why}`, { cause: lastError });
    }
    await pause(interval);
  }
}

/** Retries an assertion (anything that throws) until it passes; on timeout rethrows its last failure. */
export async function expectEventually<T>(assertion: () => Promise<T> | T, options: PollOptions = {}): Promise<T> {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const interval = options.interval ?? DEFAULT_INTERVAL;
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() >= deadline) {
        if (error instanceof Error && options.message) error.message = `${options.message} (after ${timeout} ms): ${error.message}`;
        throw error;
      }
    }
    await pause(interval);
  }
}

/**
 * An assertion that must keep holding for `duration` ms: the way to check that something does NOT
 * happen (an absence cannot be awaited). Fails at the first try that throws.
 */
export async function expectConsistently(assertion: () => Promise<void> | void, duration: number, interval = 250): Promise<void> {
  const end = Date.now() + duration;
  do {
    await assertion();
    await pause(interval);
  } while (Date.now() < end);
  await assertion();
}
