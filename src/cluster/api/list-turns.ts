/**
 * Lists take turns: one kind's list runs at a time, whichever kinds need one (the initial sync,
 * a relist after a 410, a resync). Lists read at once interleave their pages and their parse
 * garbage, which raises the load's peak and leaves the C allocator's heap fragmented for the life
 * of the process (10 to 20 MB more RSS for a 10,000-service cluster); pages arrive back to back, so
 * taking turns costs the initial sync no noticeable time.
 * @module
 */

/** A queue of tasks run one at a time, in order; a failed task does not hold up the next. */
export class ListTurns {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` when every task queued before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
