/** The master-file reader (RFC 1035 5.1, RFC 2308 4 `$TTL`, BIND's `$GENERATE`). */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ResourceRecord, SoaData } from '../../wire/types.js';
import { ZoneFileError } from '../errors.js';
import { expandTemplate, parseRange } from './generate.js';
import { type Entry, Lexer, LineError } from './lexer.js';
import { parseRData, RDataTokens } from './rdata.js';
import { absoluteName, classOf, parseTtl, typeOf } from './values.js';

/** Reads an `$INCLUDE`d file (synchronously: a zone loads as one unit). */
export type ZoneFileReader = (path: string) => string;

/** Where parsed records go, shared with `$INCLUDE`d files. */
export interface ParseSink {
  readonly records: ResourceRecord[];
  /** Per record: the file index in {@link ParseSink.files} and the line. */
  readonly where: number[];
  readonly files: string[];
  readonly readFile: ZoneFileReader;
}

/** `$INCLUDE` nesting limit, against include loops. */
const MAX_INCLUDE_DEPTH = 16;

interface Owned {
  owner: string;
  ttl: number | undefined;
  rrClass: string | undefined;
  typeIndex: number;
}

/** Parses one file's text into the sink. */
export class MasterFileParser {
  private lastOwner: string | undefined;
  private lastTtl: number | undefined;
  private lastClass: string | undefined;
  private defaultTtl: number | undefined;
  private readonly fileIndex: number;

  constructor(
    private readonly sink: ParseSink,
    private readonly file: string,
    private origin: string,
    private readonly depth = 0,
  ) {
    this.fileIndex = sink.files.push(file) - 1;
  }

  parse(text: string): void {
    const lexer = new Lexer(text);
    let line = 0;
    try {
      while (lexer.next()) {
        line = lexer.entry.line;
        this.entry(lexer.entry);
      }
    } catch (error) {
      if (error instanceof LineError) throw new ZoneFileError(this.file, error.line, error.message);
      if (error instanceof ZoneFileError) throw error;
      throw new ZoneFileError(this.file, line, (error as Error).message);
    }
  }

  private entry(entry: Entry): void {
    const first = entry.texts[0]!;
    if (!entry.blankOwner && !entry.quoted[0] && first.startsWith('$')) {
      this.directive(entry);
      return;
    }
    const owned = this.owner(entry);
    const type = entry.texts[owned.typeIndex];
    const typeName = type === undefined || entry.quoted[owned.typeIndex] ? undefined : typeOf(type);
    if (typeName === undefined) throw this.badType(entry, owned.typeIndex);
    this.addRecord(entry, owned, typeName, owned.typeIndex + 1);
  }

  /** The owner, TTL and class (in either order, RFC 1035 5.1) of a record entry. */
  private owner(entry: Entry): Owned {
    let index = 0;
    let owner = this.lastOwner;
    if (!entry.blankOwner) {
      owner = absoluteName(entry.texts[0]!, this.origin, entry.line);
      index = 1;
    }
    if (owner === undefined) throw new LineError(entry.line, 'no owner name: the first record must name one');
    this.lastOwner = owner;
    let ttl: number | undefined;
    let rrClass: string | undefined;
    for (let k = 0; k < 2; k++) {
      const text = entry.texts[index];
      if (text === undefined || entry.quoted[index]) break;
      const asTtl = ttl === undefined ? parseTtl(text, entry.line) : undefined;
      const asClass = rrClass === undefined && asTtl === undefined ? classOf(text) : undefined;
      if (asTtl !== undefined) ttl = asTtl;
      else if (asClass !== undefined) rrClass = asClass;
      else break;
      index++;
    }
    return { owner, ttl, rrClass, typeIndex: index };
  }

  private badType(entry: Entry, index: number): LineError {
    const text = entry.texts[index];
    const line = entry.lines[index] ?? entry.line;
    if (text === undefined) return new LineError(line, 'expected a record type, got the end of the line');
    const nextIsType = entry.texts[index + 1] !== undefined && typeOf(entry.texts[index + 1]!) !== undefined;
    return new LineError(line, `expected ${nextIsType ? 'a TTL or class' : 'a record type'}, got '${text}'`);
  }

  private addRecord(entry: Entry, owned: Owned, type: string, rdataIndex: number): void {
    const rrClass = owned.rrClass ?? this.lastClass ?? 'IN';
    this.lastClass = rrClass;
    const tokens = new RDataTokens(
      entry.texts,
      entry.quoted,
      entry.lines,
      rdataIndex,
      this.origin,
      type,
      entry.line,
    );
    const data = parseRData(tokens, rrClass);
    const ttl = this.ttlFor(owned.ttl, type, data, entry.line);
    this.sink.records.push({ name: owned.owner, type, class: rrClass, ttl, data } as ResourceRecord);
    this.sink.where.push(this.fileIndex, entry.line);
  }

  /** An explicit TTL, else `$TTL`, else the previous explicit TTL (RFC 1035), else the SOA MINIMUM (as BIND). */
  private ttlFor(explicit: number | undefined, type: string, data: unknown, line: number): number {
    if (explicit !== undefined) {
      this.lastTtl = explicit;
      return explicit;
    }
    const inherited = this.defaultTtl ?? this.lastTtl;
    if (inherited !== undefined) return inherited;
    if (type === 'SOA') {
      this.lastTtl = (data as SoaData).minimum;
      return this.lastTtl;
    }
    throw new LineError(line, 'no TTL: give one, or set $TTL');
  }

  private directive(entry: Entry): void {
    const name = entry.texts[0]!.toUpperCase();
    const args = entry.texts.slice(1);
    const line = entry.line;
    if (name === '$ORIGIN') {
      if (args.length !== 1) throw new LineError(line, '$ORIGIN: expected one domain name');
      this.origin = absoluteName(args[0]!, this.origin, line);
    } else if (name === '$TTL') {
      const ttl = args.length === 1 ? parseTtl(args[0]!, line) : undefined;
      if (ttl === undefined) throw new LineError(line, `$TTL: expected a TTL, got '${args.join(' ')}'`);
      this.defaultTtl = ttl;
    } else if (name === '$INCLUDE') {
      this.include(args, line);
    } else if (name === '$GENERATE') {
      this.generate(entry);
    } else {
      throw new LineError(line, `unknown directive '${entry.texts[0]}'`);
    }
  }

  /** `$INCLUDE file [origin]` (RFC 1035 5.1): the path is relative to the including file; origin changes stay inside. */
  private include(args: string[], line: number): void {
    if (args.length < 1 || args.length > 2)
      throw new LineError(line, '$INCLUDE: expected a file name and an optional origin');
    if (this.depth >= MAX_INCLUDE_DEPTH)
      throw new LineError(line, `$INCLUDE nested more than ${MAX_INCLUDE_DEPTH} deep`);
    const path = isAbsolute(args[0]!) ? args[0]! : resolve(dirname(this.file), args[0]!);
    const origin = args[1] === undefined ? this.origin : absoluteName(args[1], this.origin, line);
    let text: string;
    try {
      text = this.sink.readFile(path);
    } catch (error) {
      throw new LineError(line, `$INCLUDE: cannot read '${args[0]}': ${(error as Error).message}`);
    }
    const child = new MasterFileParser(this.sink, path, origin, this.depth + 1);
    child.lastOwner = this.lastOwner;
    child.lastTtl = this.lastTtl;
    child.lastClass = this.lastClass;
    child.defaultTtl = this.defaultTtl;
    child.parse(text);
  }

  /** BIND's `$GENERATE range lhs [ttl] [class] type rhs`. */
  private generate(entry: Entry): void {
    const line = entry.line;
    const texts = entry.texts.slice(1);
    const quoted = entry.quoted.slice(1);
    if (texts.length < 4) throw new LineError(line, '$GENERATE: expected range lhs [ttl] [class] type rhs');
    const range = parseRange(texts[0]!, line);
    const template: Entry = {
      line,
      blankOwner: false,
      texts: texts.slice(1),
      quoted: quoted.slice(1),
      lines: [],
    };
    const lastOwner = this.lastOwner;
    for (let value = range.start; value <= range.stop; value += range.step) {
      const expanded = template.texts.map((text, i) =>
        i === 0 || i === template.texts.length - 1 ? expandTemplate(text, value, line) : text,
      );
      const generated: Entry = { ...template, texts: expanded, lines: expanded.map(() => line) };
      const owned = this.owner(generated);
      const type = typeOf(expanded[owned.typeIndex] ?? '');
      if (type === undefined || owned.typeIndex !== expanded.length - 2)
        throw this.badType(generated, owned.typeIndex);
      this.addRecord(generated, owned, type, owned.typeIndex + 1);
    }
    this.lastOwner = lastOwner;
  }
}
