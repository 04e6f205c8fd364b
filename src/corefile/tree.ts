import { CorefileError } from './errors.js';
import type { LexedToken } from './lexer.js';
import { isBrace, plainToken, startsLine } from './token-utils.js';
import type { DirectiveLine, Token } from './types.js';

interface Built {
  readonly line: DirectiveLine;
  readonly next: number;
}

/** After a block's `}` only a new line or another `}` may follow. */
function checkAfterClose(tokens: readonly LexedToken[], index: number): void {
  const token = tokens[index];
  if (token !== undefined && !isBrace(token, '}') && !startsLine(tokens, index)) {
    throw new CorefileError(token, `Unexpected '${token.text}' after '}', expecting a new line`);
  }
}

function readBlock(
  tokens: readonly LexedToken[],
  start: number,
  open: Token,
): { lines: DirectiveLine[]; next: number } {
  const lines: DirectiveLine[] = [];
  let index = start;
  while (index < tokens.length) {
    const token = tokens[index] as LexedToken;
    if (isBrace(token, '}')) return { lines, next: index + 1 };
    if (isBrace(token, '{')) throw new CorefileError(token, "Unexpected '{', expecting a name before it");
    const built = readLine(tokens, index);
    lines.push(built.line);
    index = built.next;
  }
  throw new CorefileError(open, "Unexpected EOF, expecting '}'");
}

/**
 * One line: a name, its arguments up to the end of the line, and an optional `{ ... }` block. As in
 * Caddy, a `{` opens the line's block even when it stands at the start of the next line.
 */
function readLine(tokens: readonly LexedToken[], start: number): Built {
  const name = tokens[start] as LexedToken;
  const args: Token[] = [];
  let index = start + 1;
  while (index < tokens.length) {
    const token = tokens[index] as LexedToken;
    if (isBrace(token, '{')) {
      const block = readBlock(tokens, index + 1, token);
      checkAfterClose(tokens, block.next);
      return { line: { name: plainToken(name), args, block: block.lines }, next: block.next };
    }
    if (isBrace(token, '}') || startsLine(tokens, index)) break;
    args.push(plainToken(token));
    index++;
  }
  return { line: { name: plainToken(name), args, block: [] }, next: index };
}

/**
 * Turns the flat tokens of one directive (name first, braces balanced) into a {@link DirectiveLine}
 * tree: nested lines are split at line ends and at the `}` that closes their block.
 */
export function buildDirective(tokens: readonly LexedToken[]): DirectiveLine {
  const built = readLine(tokens, 0);
  const extra = tokens[built.next];
  if (extra !== undefined) throw new CorefileError(extra, `Unexpected '${extra.text}'`);
  return built.line;
}
