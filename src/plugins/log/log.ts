import { createLogger } from '../../core/logger.js';
import type { DnsContext, Logger, Next, Plugin, PluginEnv } from '../../core/types.js';
import { matchZone } from '../../core/zones.js';
import { classifyResponse, typifyResponse } from '../../plugin-kit/response-type.js';
import { normalizeName } from '../../wire/index.js';
import type { DnsMessage } from '../../wire/types.js';
import { COMBINED_LOG_FORMAT, COMMON_LOG_FORMAT, compileFormat, type LogFacts } from './format.js';

/** Which responses a `log` plugin writes: `all`, or any of `success`, `denial`, `error`. */
export type LogClass = 'all' | 'success' | 'denial' | 'error';

/** Options of {@link log}. */
export interface LogOptions {
  /** Only queries for names at or below these are logged; default `['.']` (everything). */
  readonly names?: readonly string[];
  /** The line format with `{placeholders}`; `{common}` and `{combined}` name CoreDNS's formats. Default common. */
  readonly format?: string;
  /** Response classes to log; default `['all']`. */
  readonly classes?: readonly LogClass[];
  /** Also log responses (of any class) that took longer than this. CoreDNS's `minDuration`. */
  readonly minDurationMs?: number;
}

/** Resolves the `{common}` and `{combined}` aliases. */
export function resolveLogFormat(format: string | undefined): string {
  if (format === undefined || format === '{common}') return COMMON_LOG_FORMAT;
  return format === '{combined}' ? COMBINED_LOG_FORMAT : format;
}

interface LogRule {
  readonly names: readonly string[];
  readonly classes: ReadonlySet<LogClass>;
  readonly minDurationMs: number;
  readonly render: (facts: LogFacts) => string;
}

function matchesName(rule: LogRule, name: string): boolean {
  return matchZone(rule.names, name) !== undefined;
}

/** The class filter first, then the slow-query escape hatch, as CoreDNS checks them. */
function shouldLog(rule: LogRule, response: DnsMessage, durationMs: number): boolean {
  if (rule.classes.has('all')) return true;
  if (rule.classes.has(classifyResponse(typifyResponse(response)))) return true;
  return rule.minDurationMs > 0 && durationMs > rule.minDurationMs;
}

class LogPlugin implements Plugin {
  readonly name = 'log';
  private logger: Logger | undefined;

  constructor(private readonly rules: readonly LogRule[]) {}

  start(env: PluginEnv): void {
    this.logger = env.logger;
  }

  readonly handle = (ctx: DnsContext, next: Next): Promise<void> => {
    // As CoreDNS: the first rule whose names cover the query decides; at most one line a query.
    const rule = this.rules.find((r) => matchesName(r, ctx.question.name));
    if (rule === undefined) return next();
    // The response size and the full duration are only known once the response is on its way.
    ctx.onSent((wireSize, response) => {
      const durationMs = performance.now() - ctx.startedAt;
      if (!shouldLog(rule, response, durationMs)) return;
      this.logger ??= createLogger();
      this.logger.info(rule.render({ ctx, response, wireSize, durationMs }));
    });
    return next();
  };
}

/**
 * The `log` plugin: writes one `[INFO]` line per query through the server's logger, in CoreDNS's
 * Common Log Format by default:
 * `[INFO] 127.0.0.1:53000 - 4660 "A IN example.org. udp 29 false 512" NOERROR qr,aa,rd 90 0.000312s`.
 * Given several rules (as a Corefile's `log` lines make), the first whose names cover the query
 * decides, so a query is logged at most once.
 *
 * @example
 * ```ts
 * const server = createServer({ plugins: [log({ names: ['example.org'], classes: ['denial', 'error'] }), zone] });
 * ```
 */
export function log(options: LogOptions | readonly LogOptions[] = {}): Plugin {
  const list: readonly LogOptions[] = Array.isArray(options) ? options : [options as LogOptions];
  return new LogPlugin(list.map(toRule));
}

function toRule(options: LogOptions): LogRule {
  const names = options.names === undefined || options.names.length === 0 ? ['.'] : options.names;
  const classes =
    options.classes === undefined || options.classes.length === 0 ? ['all' as const] : options.classes;
  return {
    names: names.map((name) => normalizeName(name)),
    classes: new Set(classes),
    minDurationMs: options.minDurationMs ?? 0,
    render: compileFormat(resolveLogFormat(options.format)),
  };
}
