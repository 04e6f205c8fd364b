import type { Logger } from '../../core/types.js';
import { formatDuration } from '../../plugin-kit/duration.js';

/** A log level a consolidated summary can be written at. */
export type ErrorsLevel = 'debug' | 'info' | 'warning' | 'error';

/** One `consolidate DURATION REGEXP [LEVEL] [show_first]` rule. */
export interface ConsolidateRule {
  /** How long to collect matching errors before writing one summary line. */
  readonly periodMs: number;
  /** Errors whose message matches are collected; strings are compiled with `new RegExp`. */
  readonly pattern: RegExp | string;
  /** Level of the summary (and of the first error with `showFirst`); default `error`. */
  readonly level?: ErrorsLevel;
  /** Log the first matching error at once, then summarise the rest (summary only when > 1). */
  readonly showFirst?: boolean;
}

/** The timer consolidation uses; tests inject a fake one so that nothing sleeps. */
export interface ErrorsTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Node's timers, unref'd so that a pending summary never keeps the process alive. */
export const realTimers: ErrorsTimers = {
  set(callback, ms) {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clear(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** Writes a line at a level through the plugin's logger. */
export function writeAt(logger: Logger, level: ErrorsLevel, message: string): void {
  if (level === 'warning') logger.warn(message);
  else logger[level](message);
}

/** One rule's live state: the count in the current period and its pending timer. */
export class ConsolidationWindow {
  readonly regexp: RegExp;
  /** The expression as written, for the summary (`RegExp.source` would escape `/`). */
  private readonly patternText: string;
  private count = 0;
  private timer: unknown;

  constructor(
    readonly rule: ConsolidateRule,
    private readonly timers: ErrorsTimers,
    private readonly write: (level: ErrorsLevel, message: string) => void,
  ) {
    // Without the g and y flags, test() keeps no state between calls.
    const pattern = rule.pattern;
    this.patternText = typeof pattern === 'string' ? pattern : pattern.source;
    this.regexp =
      typeof pattern === 'string'
        ? new RegExp(pattern)
        : new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  }

  get level(): ErrorsLevel {
    return this.rule.level ?? 'error';
  }

  /** Counts one matching error; the first of a period starts the timer (and is shown with showFirst). */
  add(line: string): void {
    this.count++;
    if (this.count > 1) return;
    if (this.rule.showFirst === true) this.write(this.level, line);
    this.timer = this.timers.set(() => this.flush(), this.rule.periodMs);
  }

  /** Writes the summary of the period, if any, and starts over. */
  flush(): void {
    const count = this.count;
    this.count = 0;
    this.timer = undefined;
    // With showFirst a lone error was already written in full: no summary for it.
    if (count === 0 || (count === 1 && this.rule.showFirst === true)) return;
    const period = formatDuration(this.rule.periodMs);
    this.write(this.level, `${count} errors like '${this.patternText}' occurred in last ${period}`);
  }

  /** Stops the timer and writes what was collected (server shutdown). */
  stop(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.flush();
  }
}
