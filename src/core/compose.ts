import type { DnsContext, Middleware, Next } from './types.js';

/**
 * The promise a composed chain returns when every step finished synchronously. The server checks
 * for it by identity to answer at once, skipping the microtask round trip.
 */
export const chainDoneSync: Promise<void> = Promise.resolve();
const resolved = chainDoneSync;

/** Thrown when one middleware calls `next()` more than once. */
export class NextCalledTwiceError extends Error {
  constructor(step: number) {
    super(`next() called more than once in middleware #${step}`);
    this.name = 'NextCalledTwiceError';
  }
}

/**
 * Joins middlewares into one, koa/hono style: each runs until it calls `next()`, then the rest of
 * the chain runs, then control comes back. When the last one calls `next()`, the outer `next` (if
 * any) runs; otherwise the chain simply ends and the server turns "nobody answered" into SERVFAIL.
 *
 * @example
 * ```ts
 * const chain = compose([logTimes, answerA]);
 * await chain(ctx, async () => {});
 * ```
 */
export function compose(middlewares: readonly Middleware[]): Middleware {
  const steps = middlewares.slice();
  const count = steps.length;

  // One small `next` per step that actually runs: it is the only way to know which middleware
  // called it, and so to reject a second call (a classic onion bug that would answer twice).
  function dispatch(ctx: DnsContext, index: number, outer: Next | undefined): Promise<void> {
    if (index === count) return outer === undefined ? resolved : outer();
    const step = steps[index] as Middleware;
    let called = false;
    const next: Next = () => {
      if (called) return Promise.reject(new NextCalledTwiceError(index));
      called = true;
      return dispatch(ctx, index + 1, outer);
    };
    try {
      const result = step(ctx, next);
      return result instanceof Promise ? result : resolved;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  return (ctx, next) => dispatch(ctx, 0, next);
}
