/**
 * Helpers for the plugins' tests: a directive parsed by the real Corefile lexer and tree builder,
 * a query builder, and a logger that records lines. Not exported from the package.
 */
import type { Logger } from '../core/types.js';
import { directiveTokens } from '../corefile/directive-tokens.js';
import { CorefileError } from '../corefile/errors.js';
import { lex } from '../corefile/lexer.js';
import { buildDirective } from '../corefile/tree.js';
import type { DirectiveTokens } from '../corefile/types.js';
import type { DnsMessage, Edns, RRClass, RRType } from '../wire/types.js';

/**
 * One directive as a plugin's `parse` receives it, made by the Corefile lexer, tree builder and
 * `directiveTokens` the loader uses. `text` is the directive alone (name first);
 * it is placed on line 2 of a `Corefile`, after a `. {` line, so errors report real line numbers.
 */
export function directiveFrom(text: string, zones: readonly string[] = ['.']): DirectiveTokens {
  const tokens = lex(`. {\n${text}\n}\n`, 'Corefile').slice(2, -1);
  return directiveTokens(buildDirective(tokens), { zones, port: 53, transport: 'dns' });
}

/** Runs `parse` and returns the error it threw (or fails when it threw none). */
export function parseError(parse: () => unknown): CorefileError {
  try {
    parse();
  } catch (error) {
    if (error instanceof CorefileError) return error;
    throw error;
  }
  throw new Error('expected a parse error');
}

/** Options of {@link makeQuery}. */
export interface QueryOptions {
  readonly class?: RRClass;
  readonly id?: number;
  readonly edns?: Partial<Edns>;
}

/** A recursive-desired query for one name and type. */
export function makeQuery(name: string, type: RRType = 'A', options: QueryOptions = {}): DnsMessage {
  const edns =
    options.edns === undefined
      ? undefined
      : { udpPayloadSize: 1232, version: 0, do: false, options: [], ...options.edns };
  return {
    id: options.id ?? 4660,
    opcode: 'QUERY',
    rcode: 'NOERROR',
    flags: { qr: false, aa: false, tc: false, rd: true, ra: false, z: false, ad: false, cd: false },
    questions: [{ name, type, class: options.class ?? 'IN' }],
    answers: [],
    authorities: [],
    additionals: [],
    edns,
  };
}

/** A logger that keeps `[LEVEL] message` lines in memory, as the default logger would print them. */
export function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => {
    lines.push(`[${level}] ${message}`);
  };
  return { lines, logger: { debug: at('DEBUG'), info: at('INFO'), warn: at('WARNING'), error: at('ERROR') } };
}
