import type { LexedToken } from './lexer.js';
import type { Token } from './types.js';

/** True for an unquoted `{` or `}` standing alone: a quoted `"{"` is a word. */
export function isBrace(token: Token, brace?: '{' | '}'): boolean {
  if (token.quoted) return false;
  return brace === undefined ? token.text === '{' || token.text === '}' : token.text === brace;
}

/** True for the unquoted word `word` (`import`). */
export function isKeyword(token: Token, word: string): boolean {
  return !token.quoted && token.text === word;
}

/** True when `tokens[index]` starts a new line: another file, or a line after the previous token ended. */
export function startsLine(tokens: readonly LexedToken[], index: number): boolean {
  const previous = tokens[index - 1];
  const current = tokens[index];
  if (previous === undefined || current === undefined) return true;
  return previous.file !== current.file || current.line !== previous.endLine;
}

/** The public view of a token: text, file, line, quoted. */
export function plainToken(token: Token, text: string = token.text): Token {
  return { text, file: token.file, line: token.line, quoted: token.quoted };
}
