import type { DirectiveLine, DirectiveTokens, Token } from '../../corefile/types.js';
import { parseDuration } from '../../plugin-kit/duration.js';
import type { ConsolidateRule, ErrorsLevel } from './consolidate.js';
import type { ErrorsOptions } from './errors.js';

const LEVELS: readonly string[] = ['debug', 'info', 'warning', 'error'];

/** CoreDNS caps the expression's length so that a Corefile cannot make matching arbitrarily slow. */
const MAX_REGEXP_LENGTH = 10_000;

/** Checks that the expression compiles; the text itself is kept, to be quoted in summaries. */
function checkRegexp(directive: DirectiveTokens, token: Token): string {
  if (token.text.length > MAX_REGEXP_LENGTH) {
    throw directive.error(`regexp too long: at most ${MAX_REGEXP_LENGTH} characters`, token);
  }
  try {
    new RegExp(token.text);
    return token.text;
  } catch (error) {
    throw directive.error((error as Error).message, token);
  }
}

/** `[LEVEL] [show_first]` after DURATION REGEXP. */
function parseTail(
  directive: DirectiveTokens,
  tail: readonly Token[],
): Pick<ConsolidateRule, 'level' | 'showFirst'> {
  let level: ErrorsLevel | undefined;
  let showFirst = false;
  for (const [index, token] of tail.entries()) {
    if (token.text === 'show_first' && index === tail.length - 1) showFirst = true;
    else if (index === 0 && LEVELS.includes(token.text)) level = token.text as ErrorsLevel;
    else throw directive.error(`unknown log level argument in consolidate: ${token.text}`, token);
  }
  return level === undefined ? { showFirst } : { level, showFirst };
}

function parseConsolidate(directive: DirectiveTokens, line: DirectiveLine): ConsolidateRule {
  const [durationToken, regexpToken, ...tail] = line.args;
  if (durationToken === undefined || regexpToken === undefined || tail.length > 2 || line.block.length > 0) {
    throw directive.argError(line.args[4] ?? line.name);
  }
  const periodMs = parseDuration(durationToken.text);
  if (periodMs === undefined || periodMs <= 0) {
    throw directive.error(`time: invalid duration "${durationToken.text}"`, durationToken);
  }
  const pattern = checkRegexp(directive, regexpToken);
  return { periodMs, pattern, ...parseTail(directive, tail) };
}

/**
 * `errors [stdout] { stacktrace; consolidate DURATION REGEXP [LEVEL] [show_first] }`. The only log
 * destination CoreDNS accepts is `stdout`; dnskit writes through the server's logger either way.
 */
export function parseErrors(directive: DirectiveTokens): ErrorsOptions {
  const [first, second] = directive.args;
  if (second !== undefined) throw directive.argError(second);
  if (first !== undefined && first.text !== 'stdout') {
    throw directive.error(`invalid log file: ${first.text}`, first);
  }
  const consolidate: ConsolidateRule[] = [];
  let stacktrace = false;
  for (const line of directive.block) {
    const name = line.name.text;
    if (name === 'consolidate') consolidate.push(parseConsolidate(directive, line));
    else if (name === 'stacktrace' && line.args.length === 0 && line.block.length === 0) stacktrace = true;
    else if (name === 'stacktrace') throw directive.argError(line.args[0] ?? line.name);
    else throw directive.error(`unknown property '${name}'`, line.name);
  }
  return { consolidate, stacktrace };
}
