/**
 * Exponential backoff with jitter for restarting a kind's list+watch.
 * @module
 */

/** Backoff settings of the API source. */
export interface BackoffOptions {
  /** First delay after a failure (default 1000 ms). */
  readonly initialMs?: number;
  /** Largest delay (default 30 000 ms). */
  readonly maxMs?: number;
  /** Random source in [0, 1) (tests make it deterministic). */
  readonly random?: () => number;
}

/**
 * The delay before retry number `attempt` (0-based): `initial * 2^attempt`, capped at `max`, then
 * scaled into [50 %, 100 %] so that many DNS servers restarting at once do not hit the API server
 * in lockstep ("equal jitter").
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? 1000;
  const max = options.maxMs ?? 30_000;
  const random = options.random ?? Math.random;
  const base = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  return Math.round(base / 2 + (base / 2) * random());
}
