import type { Token } from './types.js';

/** Where an error points: a file and a 1-based line. */
export interface Location {
  readonly file: string;
  readonly line: number;
}

/**
 * Any problem found in a Corefile: syntax, imports, addresses, unknown directives, or a plugin's
 * own `parse`. The message has CoreDNS's shape, `Corefile:12 - Error during parsing: <detail>`.
 */
export class CorefileError extends Error {
  override readonly name = 'CorefileError';
  /** The file the offending token came from (an imported file's path when it came from one). */
  readonly file: string;
  /** The 1-based line of the offending token. */
  readonly line: number;
  /** What was wrong or expected, without the location prefix. */
  readonly detail: string;

  constructor(at: Location, detail: string) {
    super(`${at.file}:${at.line} - Error during parsing: ${detail}`);
    this.file = at.file;
    this.line = at.line;
    this.detail = detail;
  }
}

/** CoreDNS's (Caddy's) wording for a missing or extra argument after `token`. */
export function argumentError(token: Token): CorefileError {
  return new CorefileError(token, `Wrong argument count or unexpected line ending after '${token.text}'`);
}
