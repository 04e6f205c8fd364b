import { chainDoneSync } from './compose.js';
import type { Next } from './types.js';

/**
 * Runs the rest of the chain, then `then`; a throw from the chain goes to `onError` (which may
 * rethrow). When the rest of the chain finished synchronously (the usual case for answers built
 * in memory), `then` runs at once and the server answers without a microtask: `await next()`
 * would make every query asynchronous, which costs several microseconds of CPU each.
 */
export function afterNext(next: Next, then: () => void, onError?: (error: unknown) => void): Promise<void> {
  const done = next();
  if (done === chainDoneSync) {
    then();
    return done;
  }
  return done.then(then, onError);
}
