import type { QueryContext } from './context.js';

/**
 * The queries still being answered, oldest first. Every query gets the same timeout, so arrival
 * order is deadline order: one shared timer aimed at the oldest deadline replaces a timer per
 * query (a per-query timer costs more than the rest of a cached answer).
 */
export class InFlightList {
  private oldest: QueryContext | undefined = undefined;
  private newest: QueryContext | undefined = undefined;
  private timer: NodeJS.Timeout | undefined = undefined;
  private emptyWaiters: (() => void)[] = [];
  /** How many queries are in flight. */
  size = 0;

  /** `onExpire` runs (already unlinked) for each query whose deadline passed. */
  constructor(private readonly onExpire: (ctx: QueryContext) => void) {}

  add(ctx: QueryContext): void {
    const newest = this.newest;
    ctx.olderInFlight = newest;
    ctx.newerInFlight = undefined;
    if (newest === undefined) this.oldest = ctx;
    else newest.newerInFlight = ctx;
    this.newest = ctx;
    if (this.size++ === 0) this.armTimer(ctx.deadline);
  }

  remove(ctx: QueryContext): void {
    const older = ctx.olderInFlight;
    const newer = ctx.newerInFlight;
    if (older === undefined) {
      if (this.oldest !== ctx) return; // not in the list
      this.oldest = newer;
    } else older.newerInFlight = newer;
    if (newer === undefined) this.newest = older;
    else newer.olderInFlight = older;
    ctx.olderInFlight = undefined;
    ctx.newerInFlight = undefined;
    if (--this.size === 0) this.becameEmpty();
  }

  /** Resolves once no query is in flight. */
  whenEmpty(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptyWaiters.push(resolve));
  }

  /** Every query still in flight, oldest first. */
  *entries(): IterableIterator<QueryContext> {
    for (let ctx = this.oldest; ctx !== undefined; ctx = ctx.newerInFlight) yield ctx;
  }

  private armTimer(deadline: number): void {
    // A timer left from an earlier burst still fires early enough: it re-aims itself in sweep().
    if (this.timer !== undefined) {
      this.timer.ref();
      return;
    }
    this.timer = setTimeout(() => this.sweep(), Math.max(0, deadline - performance.now()));
  }

  private becameEmpty(): void {
    // Keep the timer (cheaper than clearing it per query) but stop it holding the process open.
    this.timer?.unref();
    const waiters = this.emptyWaiters;
    if (waiters.length === 0) return;
    this.emptyWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private sweep(): void {
    this.timer = undefined;
    // Timers may fire a fraction of a millisecond before performance.now() reaches the deadline.
    const now = performance.now() + 1;
    for (let ctx = this.oldest; ctx !== undefined && ctx.deadline <= now; ctx = this.oldest) {
      this.remove(ctx);
      this.onExpire(ctx);
    }
    if (this.oldest !== undefined) this.armTimer(this.oldest.deadline);
  }
}
