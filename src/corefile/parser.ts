import { substituteEnv } from './env.js';
import { argumentError, CorefileError } from './errors.js';
import { readImports } from './imports.js';
import { type LexedToken, lex } from './lexer.js';
import { resolveSources, type SourceOptions, type Sources } from './sources.js';
import { isBrace, isKeyword, plainToken, startsLine } from './token-utils.js';
import { buildDirective } from './tree.js';
import type { DirectiveLine, Token } from './types.js';

/** One server block as written: its keys (after `{$ENV}`) and its directives in file order. */
export interface ParsedServerBlock {
  readonly keys: readonly Token[];
  readonly directives: readonly DirectiveLine[];
}

/** A Corefile after syntax: server blocks with snippets, imports and environment resolved. */
export interface ParsedCorefile {
  readonly blocks: readonly ParsedServerBlock[];
}

/** Options of {@link parseCorefile}: the file name and where environment and imports come from. */
export type ParseOptions = SourceOptions;

/** Internal hooks: the builder checks each directive name as soon as it is read, as CoreDNS does. */
export interface ParseHooks {
  readonly onDirective?: (name: Token) => void;
}

/** A token plus the chain of files and snippets that imported it, to detect import cycles. */
interface ChainToken extends LexedToken {
  readonly chain: readonly string[];
}

/** A guard against runaway (non-cyclic but exponential) imports. */
const maxImportExpansions = 10_000;

function lastToken(tokens: readonly ChainToken[]): Token {
  return tokens[tokens.length - 1] ?? { text: '', file: 'Corefile', line: 1, quoted: false };
}

/** A recursive-descent parser over a token array that `import` splices, as Caddy v1 does. */
class Parser {
  private tokens: ChainToken[];
  private cursor = -1;
  private readonly snippets = new Map<string, ChainToken[]>();
  private expansions = 0;

  constructor(
    text: string,
    private readonly sources: Sources,
    private readonly hooks: ParseHooks,
  ) {
    this.tokens = lex(text, sources.file).map((t) => ({ ...t, chain: [sources.file] }));
  }

  parseAll(): ParsedServerBlock[] {
    const blocks: ParsedServerBlock[] = [];
    while (this.next()) {
      const block = this.parseOne();
      if (block !== undefined) blocks.push(block);
    }
    return blocks;
  }

  private current(): ChainToken | undefined {
    return this.tokens[this.cursor];
  }

  private next(): boolean {
    if (this.cursor < this.tokens.length - 1) {
      this.cursor++;
      return true;
    }
    this.cursor = this.tokens.length;
    return false;
  }

  private isNewLine(): boolean {
    return startsLine(this.tokens, this.cursor);
  }

  /** Moves to the next token only when it is on the same line. */
  private nextArg(): boolean {
    if (this.cursor + 1 >= this.tokens.length || startsLine(this.tokens, this.cursor + 1)) return false;
    this.cursor++;
    return true;
  }

  private eofError(detail: string): CorefileError {
    return new CorefileError(lastToken(this.tokens), detail);
  }

  private parseOne(): ParsedServerBlock | undefined {
    const { keys, eof } = this.addresses();
    if (eof) return keys.length > 0 ? { keys: keys.map((k) => plainToken(k)), directives: [] } : undefined;
    const first = keys[0];
    if (first === undefined)
      throw new CorefileError(this.current() as Token, "Expected a server block key before '{'");
    if (keys.length === 1 && first.text.startsWith('(') && first.text.endsWith(')')) {
      this.defineSnippet(first);
      return undefined;
    }
    return { keys: keys.map((k) => plainToken(k)), directives: this.blockContents() };
  }

  /** Keys up to `{` or the end of the line; a trailing comma continues the list on the next line. */
  private addresses(): { keys: ChainToken[]; eof: boolean } {
    const keys: ChainToken[] = [];
    let expectingAnother = false;
    for (;;) {
      const token = this.current();
      if (token === undefined) {
        if (expectingAnother) throw this.eofError('Unexpected EOF');
        return { keys, eof: true };
      }
      if (isKeyword(token, 'import') && this.isNewLine()) {
        this.doImport();
        continue;
      }
      if (isBrace(token, '{')) {
        if (expectingAnother) {
          throw new CorefileError(token, "Expected another address but had '{' - check for extra comma");
        }
        return { keys, eof: false };
      }
      if (isBrace(token, '}'))
        throw new CorefileError(token, "Unexpected '}' because no matching opening brace");
      let text = substituteEnv(token.text, this.sources.env);
      if (text !== '') {
        expectingAnother = text.endsWith(',');
        if (expectingAnother) text = text.slice(0, -1);
        if (text !== '') keys.push({ ...token, text });
      }
      if (!this.next()) {
        if (expectingAnother) throw this.eofError('Unexpected EOF');
        return { keys, eof: true };
      }
      if (!expectingAnother && this.isNewLine()) return { keys, eof: false };
    }
  }

  /** `(name) { ... }`: keeps the tokens for `import name`; not a server block. */
  private defineSnippet(key: ChainToken): void {
    const name = key.text.slice(1, -1);
    if (this.snippets.has(name)) {
      throw new CorefileError(key, `redeclaration of previously declared snippet ${name}`);
    }
    const open = this.current() as ChainToken;
    if (!isBrace(open, '{')) {
      throw new CorefileError(open, `Syntax error: Unexpected token '${open.text}', expecting '{'`);
    }
    const body: ChainToken[] = [];
    let depth = 1;
    while (this.next()) {
      const token = this.current() as ChainToken;
      if (isBrace(token, '}') && --depth === 0) {
        this.snippets.set(name, body);
        return;
      }
      if (isBrace(token, '{')) depth++;
      body.push(token);
    }
    throw this.eofError(`Unexpected EOF, expecting '}' to close snippet ${key.text}`);
  }

  /** `{ directives }`, or (Caddy's single-server form) directives to the end of the file. */
  private blockContents(): DirectiveLine[] {
    const open = this.current() as ChainToken;
    const braced = isBrace(open, '{');
    if (!braced) this.cursor--;
    const lines = this.directives(braced);
    if (braced && this.current() === undefined) {
      throw this.eofError(`Unexpected EOF, expecting '}' to close the block opened on line ${open.line}`);
    }
    return lines;
  }

  private directives(braced: boolean): DirectiveLine[] {
    const lines: DirectiveLine[] = [];
    while (this.next()) {
      const token = this.current() as ChainToken;
      if (isBrace(token, '}')) {
        if (!braced) throw new CorefileError(token, "Unexpected '}' because no matching opening brace");
        break;
      }
      if (isKeyword(token, 'import')) {
        this.doImport();
        this.cursor--;
        continue;
      }
      lines.push(this.directive());
    }
    return lines;
  }

  /** One directive: its tokens up to the end of its line, or of its `{ }` block. */
  private directive(): DirectiveLine {
    const nameToken = this.current() as ChainToken;
    if (isBrace(nameToken, '{'))
      throw new CorefileError(nameToken, "Unexpected '{', expecting a directive name");
    const name = substituteEnv(nameToken.text, this.sources.env);
    if (name === '') {
      throw new CorefileError(
        nameToken,
        `Directive name '${nameToken.text}' is empty after environment substitution`,
      );
    }
    this.hooks.onDirective?.(plainToken(nameToken, name));
    const tokens: LexedToken[] = [{ ...nameToken, text: name }];
    let nesting = 0;
    while (this.next()) {
      const token = this.current() as ChainToken;
      if (isBrace(token, '{')) nesting++;
      else if (nesting === 0 && this.isNewLine()) {
        this.cursor--; // read too far: this token starts the next directive
        break;
      } else if (isBrace(token, '}')) {
        if (nesting === 0) throw new CorefileError(token, "Unexpected '}' because no matching opening brace");
        nesting--;
      } else if (isKeyword(token, 'import') && this.isNewLine()) {
        this.doImport();
        this.cursor--;
        continue;
      }
      tokens.push(isBrace(token) ? token : { ...token, text: substituteEnv(token.text, this.sources.env) });
    }
    if (nesting > 0) throw this.eofError('Unexpected EOF');
    return buildDirective(tokens);
  }

  /** Replaces `import ARG` with the snippet's or the files' tokens; the cursor lands on the first. */
  private doImport(): void {
    const importToken = this.current() as ChainToken;
    const at = this.cursor;
    if (!this.nextArg()) throw argumentError(importToken);
    const argument = this.current() as ChainToken;
    const pattern = substituteEnv(argument.text, this.sources.env);
    if (pattern === '') throw new CorefileError(argument, 'Import requires a non-empty filepath');
    if (this.nextArg()) {
      throw new CorefileError(
        this.current() as Token,
        'Import takes only one argument (glob pattern or file)',
      );
    }
    const imported = this.expand(pattern, importToken);
    this.tokens = [...this.tokens.slice(0, at), ...imported, ...this.tokens.slice(at + 2)];
    this.cursor = at;
  }

  private expand(pattern: string, importToken: ChainToken): ChainToken[] {
    if (++this.expansions > maxImportExpansions) {
      throw new CorefileError(importToken, `maximum import expansions (${maxImportExpansions}) exceeded`);
    }
    const snippet = this.snippets.get(pattern);
    if (snippet !== undefined) return this.follow(importToken, `(${pattern})`, snippet);
    return readImports(pattern, importToken, this.sources).flatMap((file) =>
      this.follow(importToken, file.path, lex(file.text, file.path)),
    );
  }

  /** Tags imported tokens with the import chain; a file or snippet already on it is a cycle. */
  private follow(importToken: ChainToken, label: string, tokens: readonly LexedToken[]): ChainToken[] {
    const chain = [...importToken.chain, label];
    if (importToken.chain.includes(label)) {
      throw new CorefileError(importToken, `Import cycle detected: ${chain.join(' -> ')}`);
    }
    return tokens.map((token) => ({ ...token, chain }));
  }
}

/** {@link parseCorefile} with hooks; the builder uses it to reject unknown directives in file order. */
export function parseWithHooks(text: string, options: ParseOptions, hooks: ParseHooks): ParsedCorefile {
  return { blocks: new Parser(text, resolveSources(options), hooks).parseAll() };
}

/**
 * Parses Corefile syntax only (no registry, no addresses): server blocks with their keys and
 * directive trees, with snippets, `import` and `{$ENV}` resolved. Throws {@link CorefileError}.
 */
export function parseCorefile(text: string, options: ParseOptions = {}): ParsedCorefile {
  return parseWithHooks(text, options, {});
}
