/** RDATA in presentation form -> the message model: typed shapes, or raw octets for other types. */

import { typeToNumber } from '../../wire/index.js';
import { formatIPv4, formatIPv6, parseIPv4Into, parseIPv6Into } from '../../wire/ip.js';
import { CLASS_IN, decodeRData } from '../../wire/rdata-decode.js';
import { WireReader } from '../../wire/reader.js';
import { LineError } from './lexer.js';
import { opaqueRData } from './opaque.js';
import { absoluteName, characterString, parseTtl, stringOctets } from './values.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A cursor over the RDATA tokens of one entry. */
export class RDataTokens {
  constructor(
    readonly texts: readonly string[],
    readonly quoted: readonly boolean[],
    readonly lines: readonly number[],
    public index: number,
    readonly origin: string,
    readonly type: string,
    readonly line: number,
  ) {}

  get remaining(): number {
    return this.texts.length - this.index;
  }

  private lineAt(index: number): number {
    return this.lines[index] ?? this.lines[this.lines.length - 1] ?? this.line;
  }

  /** An error at the current token's line. */
  error(message: string): LineError {
    return new LineError(this.lineAt(Math.min(this.index, this.texts.length - 1)), message);
  }

  /** The next token; errors `expected <what>` at the end. */
  next(what: string): string {
    const text = this.texts[this.index];
    if (text === undefined) throw this.error(`${this.type}: expected ${what}, got the end of the line`);
    this.index++;
    return text;
  }

  /** An unsigned integer up to `max`. */
  int(what: string, max: number): number {
    const text = this.next(what);
    const value = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
    if (!(value <= max))
      throw new LineError(
        this.lineAt(this.index - 1),
        `${this.type}: expected ${what} (0..${max}), got '${text}'`,
      );
    return value;
  }

  /** A domain name, made absolute. */
  name(what: string): string {
    const text = this.next(what);
    return absoluteName(text, this.origin, this.lineAt(this.index - 1));
  }

  /** A character-string (quoted or not). */
  string(what: string): string | Uint8Array {
    const text = this.next(what);
    return characterString(text, this.lineAt(this.index - 1));
  }

  /** Text that must be UTF-8 (HINFO, CAA, NAPTR fields in the typed model). */
  text(what: string, limit = 255): string {
    const octets = stringOctets(this.next(what), this.lineAt(this.index - 1));
    if (octets.length > limit) throw this.error(`${this.type}: ${what} longer than ${limit} octets`);
    try {
      return strictUtf8.decode(octets);
    } catch {
      throw this.error(`${this.type}: ${what} is not UTF-8 text (use the \\# form)`);
    }
  }

  /** Every remaining token joined (base64 and hex fields may contain spaces). */
  rest(what: string): string {
    if (this.remaining === 0) throw this.error(`${this.type}: expected ${what}, got the end of the line`);
    const joined = this.texts.slice(this.index).join('');
    this.index = this.texts.length;
    return joined;
  }

  /** Errors when tokens are left over. */
  end(): void {
    if (this.index < this.texts.length) {
      throw this.error(`${this.type}: unexpected '${this.texts[this.index]}' after the RDATA`);
    }
  }
}

/** A TTL-valued SOA field: seconds or BIND's units. */
function soaTime(tokens: RDataTokens, what: string): number {
  const text = tokens.next(what);
  const value = parseTtl(text, tokens.line);
  if (value === undefined) throw tokens.error(`SOA: expected ${what}, got '${text}'`);
  return value;
}

const addressScratch = new Uint8Array(16);

function address(tokens: RDataTokens, v6: boolean): string {
  const text = tokens.next(v6 ? 'an IPv6 address' : 'an IPv4 address');
  if (v6 ? !parseIPv6Into(text, addressScratch, 0) : !parseIPv4Into(text, addressScratch, 0)) {
    throw tokens.error(`${tokens.type}: '${text}' is not an ${v6 ? 'IPv6' : 'IPv4'} address`);
  }
  // Canonical text, so that equal addresses compare equal (RFC 5952).
  return v6 ? formatIPv6(addressScratch, 0) : formatIPv4(addressScratch, 0);
}

function typed(tokens: RDataTokens): unknown {
  switch (tokens.type) {
    case 'A':
      return address(tokens, false);
    case 'AAAA':
      return address(tokens, true);
    case 'NS':
    case 'CNAME':
    case 'PTR':
    case 'DNAME':
      return tokens.name('a domain name');
    case 'MX':
      return { preference: tokens.int('a preference', 0xffff), exchange: tokens.name('an exchange name') };
    case 'SRV':
      return {
        priority: tokens.int('a priority', 0xffff),
        weight: tokens.int('a weight', 0xffff),
        port: tokens.int('a port', 0xffff),
        target: tokens.name('a target name'),
      };
    case 'SOA':
      return {
        mname: tokens.name('a primary server name'),
        rname: tokens.name('a mailbox name'),
        serial: tokens.int('a serial', 0xffffffff),
        refresh: soaTime(tokens, 'a refresh time'),
        retry: soaTime(tokens, 'a retry time'),
        expire: soaTime(tokens, 'an expire time'),
        minimum: soaTime(tokens, 'a minimum TTL'),
      };
    default:
      return typedText(tokens);
  }
}

function typedText(tokens: RDataTokens): unknown {
  switch (tokens.type) {
    case 'TXT':
    case 'SPF': {
      const strings: (string | Uint8Array)[] = [tokens.string('a character-string')];
      while (tokens.remaining > 0) strings.push(tokens.string('a character-string'));
      return strings;
    }
    case 'HINFO':
      return { cpu: tokens.text('a CPU'), os: tokens.text('an OS') };
    case 'CAA':
      // RFC 8659 4.1.1: the value is not limited to 255 octets.
      return { flags: tokens.int('flags', 0xff), tag: caaTag(tokens), value: tokens.text('a value', 0xffff) };
    case 'NAPTR':
      return {
        order: tokens.int('an order', 0xffff),
        preference: tokens.int('a preference', 0xffff),
        flags: tokens.text('flags'),
        services: tokens.text('services'),
        regexp: tokens.text('a regexp'),
        replacement: tokens.name('a replacement name'),
      };
    default:
      return opaqueRData(tokens);
  }
}

function caaTag(tokens: RDataTokens): string {
  const tag = tokens.next('a tag');
  if (!/^[A-Za-z0-9]{1,15}$/.test(tag)) throw tokens.error(`CAA: bad tag '${tag}'`);
  return tag;
}

/** RFC 3597 5: `\# <length> <hex...>`. */
function genericOctets(tokens: RDataTokens): Uint8Array {
  tokens.next('\\#');
  const length = tokens.int('an RDATA length', 0xffff);
  const hex = length === 0 && tokens.remaining === 0 ? '' : tokens.rest('hex RDATA');
  if (!/^([0-9a-f]{2})*$/i.test(hex)) throw tokens.error(`${tokens.type}: bad hex RDATA '${hex}'`);
  if (hex.length / 2 !== length) {
    throw tokens.error(
      `${tokens.type}: \\# length ${length} does not match ${hex.length / 2} octets of data`,
    );
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** The generic form of a type that has a typed shape is decoded into that shape. */
function fromGeneric(tokens: RDataTokens, rrClass: string): unknown {
  const octets = genericOctets(tokens);
  const code = typeToNumber(tokens.type);
  try {
    return decodeRData(new WireReader(octets), code, octets.length, rrClass === 'IN' ? CLASS_IN : 0);
  } catch (error) {
    throw tokens.error(`${tokens.type}: bad \\# RDATA: ${(error as Error).message}`);
  }
}

/** Parses the RDATA of one record; every token must be used. */
export function parseRData(tokens: RDataTokens, rrClass: string): unknown {
  let data: unknown;
  if (tokens.texts[tokens.index] === '\\#' && !tokens.quoted[tokens.index])
    data = fromGeneric(tokens, rrClass);
  else if (rrClass !== 'IN' && (tokens.type === 'A' || tokens.type === 'AAAA')) {
    throw tokens.error(`${tokens.type} outside class IN needs the \\# form`);
  } else data = typed(tokens);
  tokens.end();
  return data;
}
