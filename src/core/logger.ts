import type { Logger } from './types.js';

/** Something lines can be written to (process.stdout, a file stream, a test buffer). */
export interface LineSink {
  write(text: string): unknown;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Drop `[INFO]` and `[DEBUG]` lines; warnings and errors still print. Default false. */
  readonly quiet?: boolean;
  /** Print `[DEBUG]` lines (CoreDNS prints them only with the `debug` plugin). Default false. */
  readonly debug?: boolean;
  /** Where info and debug lines go; default process.stdout. */
  readonly stdout?: LineSink;
  /** Where warnings and errors go; default process.stderr. */
  readonly stderr?: LineSink;
}

function ignore(_message: string): void {}

/**
 * A logger that writes CoreDNS-style lines: `[INFO] message`, `[WARNING] ...`, `[ERROR] ...`,
 * `[DEBUG] ...`. Info and debug go to stdout, warnings and errors to stderr.
 *
 * @example
 * ```ts
 * const logger = createLogger({ quiet: true });
 * logger.error('plugin/forward: no upstream'); // "[ERROR] plugin/forward: no upstream"
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const out = options.stdout ?? process.stdout;
  const err = options.stderr ?? process.stderr;
  const line = (sink: LineSink, level: string) => (message: string) => {
    sink.write(`[${level}] ${message}\n`);
  };
  return {
    debug: options.debug === true && options.quiet !== true ? line(out, 'DEBUG') : ignore,
    info: options.quiet === true ? ignore : line(out, 'INFO'),
    warn: line(err, 'WARNING'),
    error: line(err, 'ERROR'),
  };
}

/** A logger that discards everything (tests, benchmarks). */
export const silentLogger: Logger = Object.freeze({
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
});
