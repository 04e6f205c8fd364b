import { CorefileError } from './errors.js';
import type { Token } from './types.js';

/** A token plus the line it ends on (a quoted token may span lines). */
export interface LexedToken extends Token {
  readonly endLine: number;
}

/** Whitespace as Go's `unicode.IsSpace` sees it (which excludes the byte order mark). */
function isSpace(ch: string): boolean {
  return ch !== '\uFEFF' && /\s/u.test(ch);
}

interface Pending {
  text: string;
  line: number;
  quoted: boolean;
  escaped: boolean;
}

/** Lexer state while scanning one source. */
interface State {
  readonly file: string;
  readonly tokens: LexedToken[];
  line: number;
  comment: boolean;
  pending: Pending | undefined;
}

function emit(state: State): void {
  const { pending } = state;
  if (pending === undefined) return;
  state.tokens.push({
    text: pending.text,
    file: state.file,
    line: pending.line,
    quoted: pending.quoted,
    endLine: state.line,
  });
  state.pending = undefined;
}

/** One character inside a quoted token: Caddy v1 escapes only quotes, so `\x` stays `\x`. */
function quotedChar(state: State, pending: Pending, ch: string): void {
  if (!pending.escaped && ch === '\\') {
    pending.escaped = true;
    return;
  }
  if (!pending.escaped && ch === '"') {
    emit(state);
    return;
  }
  if (ch === '\n') state.line++;
  pending.text += pending.escaped && ch !== '"' ? `\\${ch}` : ch;
  pending.escaped = false;
}

function plainChar(state: State, ch: string): void {
  if (isSpace(ch)) {
    if (ch === '\r') return;
    emit(state);
    if (ch === '\n') {
      state.line++;
      state.comment = false;
    }
    return;
  }
  if (ch === '#') state.comment = true;
  if (state.comment) return;
  if (state.pending === undefined) {
    state.pending = { text: '', line: state.line, quoted: ch === '"', escaped: false };
    if (ch === '"') return;
  }
  state.pending.text += ch;
}

/**
 * Splits a Corefile into tokens the way Caddy v1 does: whitespace separates words; `#` starts a
 * comment that runs to the end of the line (even in the middle of a word); a token that starts
 * with `"` runs to the next unescaped `"`, may span lines, and only `\"` is an escape (any other
 * backslash is kept). `\r` is ignored everywhere outside quotes. `{` and `}` are ordinary words
 * here; the parser gives them meaning when they stand alone and unquoted.
 */
export function lex(text: string, file: string): LexedToken[] {
  const state: State = { file, tokens: [], line: 1, comment: false, pending: undefined };
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (const ch of source) {
    if (state.pending?.quoted) quotedChar(state, state.pending, ch);
    else plainChar(state, ch);
  }
  if (state.pending?.quoted) {
    throw new CorefileError({ file, line: state.pending.line }, 'Unexpected EOF: unterminated quoted string');
  }
  emit(state);
  return state.tokens;
}
