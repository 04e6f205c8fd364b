import { EncodeError } from './errors.js';
import { type ParsedNameText, parseNameText } from './name-text.js';

/** Largest DNS message (the TCP length prefix is 16 bits). */
export const MAX_MESSAGE = 0xffff;
/** Room past MAX_MESSAGE so fixed-size fields can be written before the size check. */
const SLACK = 1024;
/** Compression pointers hold 14 bits of offset (RFC 1035 4.1.4). */
const MAX_POINTER_TARGET = 0x3fff;

/**
 * Compression index size: a power of two over twice the most suffixes a message can record (one
 * per label start at or below MAX_POINTER_TARGET, labels being at least 2 bytes), so probing ends.
 */
const INDEX_SLOTS = 16384;
const INDEX_MASK = INDEX_SLOTS - 1;

const utf8 = new TextEncoder();

function slotOf(hash: number): number {
  return (hash ^ (hash >>> 14)) & INDEX_MASK;
}

/**
 * An output buffer with name compression. One instance is reused for every message (encoding
 * is synchronous), so callers must copy the bytes out before the next `reset`.
 */
export class WireWriter {
  readonly buf = new Uint8Array(MAX_MESSAGE + SLACK);
  pos = 0;
  private readonly labelStarts = new Int32Array(128);
  private readonly parsed: ParsedNameText = { end: 0, labels: 0, plain: true };
  /**
   * Suffixes already in the message, for compression: an open-addressing hash table over the
   * suffix's wire bytes, kept in typed arrays so that varied names allocate nothing (string keys
   * would cost a new string and its hash per label suffix of every name). A slot is live when its
   * stamp equals the message's, so `reset` clears the table by bumping the stamp.
   */
  private readonly slotStamp = new Int32Array(INDEX_SLOTS);
  private readonly slotHash = new Int32Array(INDEX_SLOTS);
  private readonly slotOffset = new Int32Array(INDEX_SLOTS);
  private stamp = 1;
  /** Hash of each suffix of the name being written: suffixHash[i] covers labels i.. to the root. */
  private readonly suffixHash = new Int32Array(128);
  /** The last compressed name and where its full form sits: most records repeat the previous owner. */
  private lastName = '';
  private lastOffset = -1;

  reset(): void {
    this.pos = 0;
    this.lastOffset = -1;
    if (++this.stamp === 0x7fffffff) {
      this.slotStamp.fill(0);
      this.stamp = 1;
    }
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
    // The same text as the last compressed name has the same wire form: point at it directly.
    if (compress && this.lastOffset >= 0 && name === this.lastName) {
      this.pointer(start, this.lastOffset);
      return;
    }
    const parsed = this.parsed;
    parseNameText(name, this.buf, start, this.labelStarts, parsed);
    const labels = parsed.labels;
    if (!compress || labels === 0) {
      this.pos = parsed.end;
      return;
    }
    this.hashSuffixes(labels);
    const labelStarts = this.labelStarts;
    let matched = labels;
    let target = -1;
    for (let i = 0; i < labels; i++) {
      target = this.find(i);
      if (target >= 0) {
        matched = i;
        break;
      }
    }
    // Only the suffixes not found are new; one already known stays at its first offset.
    for (let i = 0; i < matched; i++) {
      const offset = labelStarts[i]!;
      if (offset <= MAX_POINTER_TARGET) this.insert(this.suffixHash[i]!, offset);
    }
    const whole = matched === 0 ? target : labelStarts[0]!;
    if (whole <= MAX_POINTER_TARGET) {
      this.lastName = name;
      this.lastOffset = whole;
    }
    if (target < 0) this.pos = parsed.end;
    else this.pointer(labelStarts[matched]!, target);
  }

  private pointer(at: number, target: number): void {
    this.buf[at] = 0xc0 | (target >>> 8);
    this.buf[at + 1] = target & 0xff;
    this.pos = at + 2;
  }

  /** FNV-1a over the wire bytes of each suffix, from the root up, so each extends the next. */
  private hashSuffixes(labels: number): void {
    const buf = this.buf;
    let hash = 0x811c9dc5 | 0;
    for (let i = labels - 1; i >= 0; i--) {
      const at = this.labelStarts[i]!;
      for (let p = at, end = at + 1 + buf[at]!; p < end; p++) hash = Math.imul(hash ^ buf[p]!, 0x01000193);
      this.suffixHash[i] = hash;
    }
  }

  /** Offset of a name in the message equal to suffix `i` of the name being written, else -1. */
  private find(i: number): number {
    const hash = this.suffixHash[i]!;
    const stamp = this.stamp;
    for (let slot = slotOf(hash); this.slotStamp[slot] === stamp; slot = (slot + 1) & INDEX_MASK) {
      if (this.slotHash[slot] === hash && this.sameName(this.labelStarts[i]!, this.slotOffset[slot]!)) {
        return this.slotOffset[slot]!;
      }
    }
    return -1;
  }

  private insert(hash: number, offset: number): void {
    let slot = slotOf(hash);
    while (this.slotStamp[slot] === this.stamp) slot = (slot + 1) & INDEX_MASK;
    this.slotStamp[slot] = this.stamp;
    this.slotHash[slot] = hash;
    this.slotOffset[slot] = offset;
  }

  /**
   * Whether the uncompressed name at `at` equals, byte for byte, the name at `known` (whose tail
   * may be a pointer; every pointer here was written by us, so it points backwards).
   */
  private sameName(at: number, known: number): boolean {
    const buf = this.buf;
    let a = at;
    let b = known;
    for (;;) {
      let length = buf[b]!;
      while (length >= 0xc0) {
        b = ((length & 0x3f) << 8) | buf[b + 1]!;
        length = buf[b]!;
      }
      if (buf[a] !== length) return false;
      if (length === 0) return true;
      for (let k = 1; k <= length; k++) if (buf[a + k] !== buf[b + k]) return false;
      a += length + 1;
      b += length + 1;
    }
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
