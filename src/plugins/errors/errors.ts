import { afterNext } from '../../core/after-next.js';
import { createLogger } from '../../core/logger.js';
import type { DnsContext, Logger, Next, Plugin, PluginEnv } from '../../core/types.js';
import { rcodeToNumber } from '../../wire/codes.js';
import {
  type ConsolidateRule,
  ConsolidationWindow,
  type ErrorsLevel,
  type ErrorsTimers,
  realTimers,
  writeAt,
} from './consolidate.js';

/** Options of {@link errors}. */
export interface ErrorsOptions {
  /** Error messages to collect and summarise; the first matching rule wins. */
  readonly consolidate?: readonly ConsolidateRule[];
  /** Also log the stack of errors that plugins threw (CoreDNS: on panic recovery). */
  readonly stacktrace?: boolean;
  /** Timers for consolidation; default Node's. */
  readonly timers?: ErrorsTimers;
}

/** CoreDNS's per-plugin log prefix; summaries carry it too. */
const PREFIX = 'plugin/errors: ';

/** The text of a failure: an Error's message, a string as is, anything else stringified. */
function failureText(failure: unknown): string {
  if (failure instanceof Error) return failure.message;
  return typeof failure === 'string' ? failure : String(failure);
}

/** The numeric rcode CoreDNS prints; SERVFAIL when the chain threw before writing anything. */
function failureRcode(ctx: DnsContext, threw: boolean): number {
  const rcode = threw || ctx.response === undefined ? 'SERVFAIL' : ctx.response.rcode;
  try {
    return rcodeToNumber(rcode);
  } catch {
    return 2;
  }
}

class ErrorsPlugin implements Plugin {
  readonly name = 'errors';
  private logger: Logger | undefined;
  private readonly windows: readonly ConsolidationWindow[];
  private stopped = false;

  constructor(private readonly options: ErrorsOptions) {
    const timers = options.timers ?? realTimers;
    const write = (level: ErrorsLevel, message: string) => writeAt(this.log, level, `${PREFIX}${message}`);
    this.windows = (options.consolidate ?? []).map((rule) => new ConsolidationWindow(rule, timers, write));
  }

  private get log(): Logger {
    this.logger ??= createLogger();
    return this.logger;
  }

  start(env: PluginEnv): void {
    this.logger = env.logger;
    this.stopped = false;
  }

  stop(): void {
    this.stopped = true;
    for (const window of this.windows) window.stop();
  }

  readonly handle = (ctx: DnsContext, next: Next): Promise<void> =>
    afterNext(
      next,
      () => {
        if (ctx.failure !== undefined) this.report(ctx, ctx.failure, false);
      },
      (error) => {
        this.report(ctx, error, true);
        throw error;
      },
    );

  /** `plugin/errors: <rcode> <qname> <qtype>: <reason>`, or counted when a consolidate rule matches. */
  private report(ctx: DnsContext, failure: unknown, threw: boolean): void {
    const reason = failureText(failure);
    const line = `${failureRcode(ctx, threw)} ${ctx.question.name} ${ctx.question.type}: ${reason}`;
    const window = this.stopped ? undefined : this.windows.find((w) => w.regexp.test(reason));
    if (window !== undefined) {
      window.add(line);
      return;
    }
    const stack = this.options.stacktrace === true && failure instanceof Error ? failure.stack : undefined;
    this.log.error(`${PREFIX}${stack === undefined ? line : `${line}\n${stack}`}`);
  }
}

/**
 * The `errors` plugin: logs why queries failed, as `[ERROR] plugin/errors: 2 example.org. A: <reason>`.
 * A failure is a plugin throwing, or a plugin calling `ctx.fail(rcode, reason)` with a reason.
 * Errors matching a `consolidate` rule are counted and summarised once per period instead.
 * Put it first in the chain so that it sees every failure.
 *
 * @example
 * ```ts
 * const server = createServer({ plugins: [errors({ consolidate: [{ periodMs: 30_000, pattern: 'timeout$' }] }), myPlugin] });
 * ```
 */
export function errors(options: ErrorsOptions = {}): Plugin {
  return new ErrorsPlugin(options);
}
