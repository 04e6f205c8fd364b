import type { ResolverClock } from './types.js';

/** Real time: `performance.now()` and `setTimeout`. */
export const realClock: ResolverClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    }),
};

/**
 * A clock where every wait ends after one turn of the event loop (`setImmediate`) and virtual
 * time jumps by the wait. Timeouts then cost nothing, so tests can exercise `timeout:5
 * attempts:2` without sleeping. Responses from a chain that answers synchronously or with
 * promises arrive before the wait ends; a plugin that waits on timers or I/O looks like a timeout.
 *
 * @example
 * ```ts
 * const resolver = podResolver({ server, clock: fastClock() });
 * ```
 */
export function fastClock(): ResolverClock & { readonly elapsed: () => number } {
  let now = 0;
  return {
    now: () => now,
    elapsed: () => now,
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        const immediate = setImmediate(() => {
          signal.removeEventListener('abort', early);
          now += ms;
          resolve();
        });
        function early(): void {
          clearImmediate(immediate);
          resolve();
        }
        if (signal.aborted) return early();
        signal.addEventListener('abort', early, { once: true });
      }),
  };
}
