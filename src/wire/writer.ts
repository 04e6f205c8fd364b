import { EncodeError } from './errors.js';
import { type ParsedNameText, parseNameText, wireNameToText } from './name-text.js';

/** Largest DNS message (the TCP length prefix is 16 bits). */
export const MAX_MESSAGE = 0xffff;
/** Room past MAX_MESSAGE so fixed-size fields can be written before the size check. */
const SLACK = 1024;
/** Compression pointers hold 14 bits of offset (RFC 1035 4.1.4). */
const MAX_POINTER_TARGET = 0x3fff;

const utf8 = new TextEncoder();

/**
 * An output buffer with name compression. One instance is reused for every message (encoding
 * is synchronous), so callers must copy the bytes out before the next `reset`.
 */
export class WireWriter {
  readonly buf = new Uint8Array(MAX_MESSAGE + SLACK);
  pos = 0;
  /** Lowercased canonical name text -> offset of a name (or suffix) already in the message. */
  private readonly known = new Map<string, number>();
  private readonly labelStarts = new Int32Array(128);
  private readonly parsed: ParsedNameText = { end: 0, labels: 0, plain: true };

  reset(): void {
    this.pos = 0;
    this.known.clear();
  }

  /** Throws `too-large` unless `count` more bytes keep the message within 65535 bytes. */
  room(count: number): void {
    if (this.pos + count > MAX_MESSAGE) {
      throw new EncodeError('too-large', 'message would exceed 65535 bytes');
    }
  }

  u8(value: number): void {
    this.buf[this.pos++] = value;
  }

  u16(value: number): void {
    const p = this.pos;
    this.buf[p] = value >>> 8;
    this.buf[p + 1] = value;
    this.pos = p + 2;
  }

  u32(value: number): void {
    const p = this.pos;
    const b = this.buf;
    b[p] = value >>> 24;
    b[p + 1] = value >>> 16;
    b[p + 2] = value >>> 8;
    b[p + 3] = value;
    this.pos = p + 4;
  }

  /** Writes 16 bits at an earlier offset (RDLENGTH, counts). */
  u16At(offset: number, value: number): void {
    this.buf[offset] = value >>> 8;
    this.buf[offset + 1] = value;
  }

  bytes(data: Uint8Array): void {
    this.room(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /**
   * Writes a name; with `compress`, replaces its longest suffix already in the message by a
   * pointer and remembers its own suffixes (RFC 1035 4.1.4). Matching is case-sensitive, as BIND
   * does by default: every name comes back spelled exactly as the plugin wrote it (RFC 4343 asks
   * servers to preserve case), at the cost of a few bytes when spellings differ.
   */
  name(name: string, compress: boolean): void {
    this.room(256);
    const start = this.pos;
    if (compress) {
      // Fast path: a name spelled exactly like a key (canonical text) seen before. A string
      // equal to a key parses to that key's name, so it is valid and the pointer is right.
      const seen = this.known.get(name);
      if (seen !== undefined) {
        this.buf[start] = 0xc0 | (seen >>> 8);
        this.buf[start + 1] = seen & 0xff;
        this.pos = start + 2;
        return;
      }
    }
    const parsed = this.parsed;
    parseNameText(name, this.buf, start, this.labelStarts, parsed);
    if (!compress || parsed.labels === 0) {
      this.pos = parsed.end;
      return;
    }
    const keys = this.suffixKeys(name, start, parsed);
    const known = this.known;
    const labelStarts = this.labelStarts;
    let matched = parsed.labels;
    let target = -1;
    for (let i = 0; i < parsed.labels; i++) {
      const offset = known.get(keys[i]!);
      if (offset !== undefined) {
        matched = i;
        target = offset;
        break;
      }
    }
    for (let i = 0; i < matched; i++) {
      const offset = labelStarts[i]!;
      if (offset <= MAX_POINTER_TARGET) known.set(keys[i]!, offset);
    }
    if (target < 0) {
      this.pos = parsed.end;
      return;
    }
    const at = labelStarts[matched]!;
    this.buf[at] = 0xc0 | (target >>> 8);
    this.buf[at + 1] = target & 0xff;
    this.pos = at + 2;
  }

  /** The compression key of each suffix: its canonical text, case kept. */
  private suffixKeys(name: string, start: number, parsed: ParsedNameText): string[] {
    const keys = new Array<string>(parsed.labels);
    if (parsed.plain) {
      // Canonical already: label i's text starts where its length byte sits, relative to start.
      const text = name.charCodeAt(name.length - 1) === 46 ? name : `${name}.`;
      for (let i = 0; i < parsed.labels; i++) keys[i] = text.slice(this.labelStarts[i]! - start);
      return keys;
    }
    for (let i = 0; i < parsed.labels; i++) keys[i] = wireNameToText(this.buf, this.labelStarts[i]!, false);
    return keys;
  }

  /** Writes a length-prefixed character-string (RFC 1035 3.3); at most 255 bytes. */
  charString(value: string | Uint8Array): void {
    if (value instanceof Uint8Array) {
      if (value.length > 255) throw new EncodeError('bad-rdata', 'character-string over 255 bytes');
      this.room(value.length + 1);
      this.u8(value.length);
      this.bytes(value);
      return;
    }
    const at = this.pos;
    const length = this.text(value, 1);
    if (length > 255) throw new EncodeError('bad-rdata', 'character-string over 255 bytes');
    this.buf[at] = length;
  }

  /** Writes UTF-8 text `skip` bytes ahead of the cursor, then moves past both; returns its length. */
  text(value: string, skip = 0): number {
    if (typeof value !== 'string')
      throw new EncodeError('bad-rdata', `expected a string, got ${typeof value}`);
    const start = this.pos + skip;
    this.room(skip + value.length);
    const b = this.buf;
    let p = start;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) {
        this.room(skip + value.length * 3);
        p = start + utf8.encodeInto(value, b.subarray(start, MAX_MESSAGE + SLACK)).written;
        break;
      }
      b[p++] = c;
    }
    this.pos = p;
    return p - start;
  }
}
