/**
 * One full garbage collection after a bulk load (the initial lists, a relist). Parsing a large
 * cluster's lists leaves tens of megabytes of garbage in the old generation that V8 only collects
 * when the heap grows again, which an idle DNS server rarely makes it do: the process would keep
 * that memory for good. A forced collection once the lists are in the store gives it back.
 *
 * Node only exposes `gc()` with `--expose-gc`; setting that flag at run time and reading `gc` from
 * a new V8 context (which installs it) obtains the function without changing how dnskit is
 * started. Never called per query: only after list loads, coalesced.
 * @module
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = () => void;

let gcFunction: GcFunction | null | undefined;

/** The V8 `gc` function, or null when it cannot be obtained (then collecting is skipped). */
function obtainGc(): GcFunction | null {
  if (gcFunction !== undefined) return gcFunction;
  const global = (globalThis as { gc?: unknown }).gc;
  if (typeof global === 'function') {
    gcFunction = global as GcFunction;
    return gcFunction;
  }
  try {
    setFlagsFromString('--expose-gc');
    const found: unknown = runInNewContext('gc');
    gcFunction = typeof found === 'function' ? (found as GcFunction) : null;
  } catch {
    gcFunction = null;
  }
  return gcFunction;
}

let pending: NodeJS.Timeout | undefined;

/**
 * Schedules one full collection shortly after a bulk load; several loads within `delayMs` (the
 * kinds of the initial sync) share one. The timer does not keep the process alive.
 */
export function collectGarbageSoon(delayMs = 100): void {
  if (pending !== undefined) return;
  pending = setTimeout(() => {
    pending = undefined;
    const gc = obtainGc();
    if (gc === null) return;
    // V8 compacts only the pages its heuristics pick; records allocated between the parsed list
    // items are spread thin over many pages, so without compaction the old generation stays
    // twice the size of what it holds.
    setFlagsFromString('--compact-on-every-full-gc');
    try {
      gc();
    } finally {
      setFlagsFromString('--no-compact-on-every-full-gc');
    }
  }, delayMs);
  pending.unref();
}
