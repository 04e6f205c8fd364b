import type { DirectiveLine, DirectiveTokens } from '../../corefile/types.js';
import { parseDuration } from '../../plugin-kit/duration.js';
import { normalizeName } from '../../wire/index.js';
import type { LogClass, LogOptions } from './log.js';

const CLASSES: readonly string[] = ['all', 'success', 'denial', 'error'];

/** CoreDNS's `minDuration` without a value. */
const DEFAULT_MIN_DURATION_MS = 100;

interface BlockSettings {
  classes: LogClass[];
  minDurationMs?: number;
}

function parseClassLine(directive: DirectiveTokens, line: DirectiveLine, into: BlockSettings): void {
  if (line.args.length === 0) throw directive.argError(line.name);
  for (const token of line.args) {
    if (!CLASSES.includes(token.text)) throw directive.error(`invalid Class: ${token.text}`, token);
    into.classes.push(token.text as LogClass);
  }
}

function parseMinDuration(directive: DirectiveTokens, line: DirectiveLine, into: BlockSettings): void {
  const [value, extra] = line.args;
  if (extra !== undefined) throw directive.argError(extra);
  if (value === undefined) {
    into.minDurationMs = DEFAULT_MIN_DURATION_MS;
    return;
  }
  const ms = parseDuration(value.text);
  if (ms === undefined) throw directive.error(`Illegal duration found: '${value.text}'`, value);
  into.minDurationMs = ms;
}

function parseBlock(directive: DirectiveTokens): BlockSettings {
  const settings: BlockSettings = { classes: [] };
  for (const line of directive.block) {
    if (line.block.length > 0) throw directive.argError(line.name);
    if (line.name.text === 'class') parseClassLine(directive, line, settings);
    else if (line.name.text === 'minDuration') parseMinDuration(directive, line, settings);
    else throw directive.argError(line.name);
  }
  return settings;
}

/**
 * `log [NAMES...] [FORMAT] { class CLASSES...; minDuration [DURATION] }`. The last argument is the
 * format when it contains a `{`, whatever the argument count (CoreDNS only looks for it when there
 * are two or more, so its `log {combined}` logs nothing).
 */
export function parseLog(directive: DirectiveTokens): LogOptions {
  const last = directive.args[directive.args.length - 1];
  const format = last?.text.includes('{') ? last.text : undefined;
  const nameTokens = format === undefined ? directive.args : directive.args.slice(0, -1);
  const names = nameTokens.map((token) => {
    try {
      return normalizeName(token.text);
    } catch (error) {
      throw directive.error(`invalid name ${token.text}: ${(error as Error).message}`, token);
    }
  });
  const { classes, minDurationMs } = parseBlock(directive);
  return {
    ...(names.length > 0 ? { names } : {}),
    ...(format !== undefined ? { format } : {}),
    ...(classes.length > 0 ? { classes } : {}),
    ...(minDurationMs !== undefined ? { minDurationMs } : {}),
  };
}
