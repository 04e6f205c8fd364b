/**
 * The master-file tokenizer (RFC 1035 5.1): splits the text into entries (one record or
 * directive, parentheses joining lines), with comments removed and quoted strings kept whole.
 * Backslash escapes stay in the token text: names and character-strings decode them later.
 */

/** Thrown by the lexer and the entry parsers; the caller adds the file name. */
export class LineError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** One entry: reused between calls, so copy what you keep. */
export interface Entry {
  /** Line where the entry starts. */
  line: number;
  /** The entry starts with blank space: its owner is the previous one (RFC 1035 5.1). */
  blankOwner: boolean;
  readonly texts: string[];
  readonly quoted: boolean[];
  readonly lines: number[];
}

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const QUOTE = 34;
const SEMICOLON = 59;
const OPEN = 40;
const CLOSE = 41;
const BACKSLASH = 92;

/** A pull tokenizer over one file's text. */
export class Lexer {
  private pos = 0;
  private line = 1;
  readonly entry: Entry = { line: 0, blankOwner: false, texts: [], quoted: [], lines: [] };

  constructor(private readonly text: string) {}

  /** Reads the next non-empty entry into {@link Lexer.entry}; false at the end. */
  next(): boolean {
    const entry = this.entry;
    while (this.pos < this.text.length) {
      entry.texts.length = 0;
      entry.quoted.length = 0;
      entry.lines.length = 0;
      entry.line = this.line;
      const c = this.text.charCodeAt(this.pos);
      entry.blankOwner = c === SPACE || c === TAB;
      this.readEntry();
      if (entry.texts.length > 0) return true;
    }
    return false;
  }

  /** Reads tokens up to a newline outside parentheses (or the end of the text). */
  private readEntry(): void {
    const text = this.text;
    let depth = 0;
    let openedAt = 0;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === SPACE || c === TAB || c === CR) {
        this.pos++;
      } else if (c === LF) {
        this.pos++;
        this.line++;
        if (depth === 0) return;
      } else if (c === SEMICOLON) {
        const end = text.indexOf('\n', this.pos);
        this.pos = end < 0 ? text.length : end;
      } else if (c === OPEN) {
        if (depth === 0) openedAt = this.line;
        depth++;
        this.pos++;
      } else if (c === CLOSE) {
        if (depth === 0) throw new LineError(this.line, "unbalanced ')'");
        depth--;
        this.pos++;
      } else if (c === QUOTE) {
        this.readQuoted();
      } else {
        this.readWord();
      }
    }
    if (depth > 0) throw new LineError(openedAt, "unbalanced '(': end of file inside parentheses");
  }

  private push(text: string, quoted: boolean): void {
    this.entry.texts.push(text);
    this.entry.quoted.push(quoted);
    this.entry.lines.push(this.line);
  }

  private readQuoted(): void {
    const text = this.text;
    const start = ++this.pos;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === BACKSLASH) this.pos += 2;
      else if (c === QUOTE) break;
      else if (c === LF) throw new LineError(this.line, 'unterminated quoted string');
      else this.pos++;
    }
    if (this.pos >= text.length) throw new LineError(this.line, 'unterminated quoted string');
    this.push(text.slice(start, this.pos), true);
    this.pos++;
  }

  private readWord(): void {
    const text = this.text;
    const start = this.pos;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === BACKSLASH) {
        if (text.charCodeAt(this.pos + 1) === LF)
          throw new LineError(this.line, 'backslash at the end of a line');
        this.pos += 2;
        continue;
      }
      if (
        c === SPACE ||
        c === TAB ||
        c === CR ||
        c === LF ||
        c === SEMICOLON ||
        c === OPEN ||
        c === CLOSE ||
        c === QUOTE
      ) {
        break;
      }
      this.pos++;
    }
    this.push(text.slice(start, Math.min(this.pos, text.length)), false);
  }
}
