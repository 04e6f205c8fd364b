import { DecodeError, type DecodeErrorCode } from './errors.js';
import { appendLabelText, LABEL_ESCAPE } from './name-text.js';

/** Bound on compression hops per name; pointers must also strictly decrease, so loops end sooner. */
const MAX_POINTER_HOPS = 127;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Scratch for name text: at most 254 characters when no byte needs escaping (255 wire bytes). */
const nameScratch = Buffer.alloc(256);

type Latin1Slice = (this: Buffer, start: number, end: number) => string;
/**
 * Buffer's own latin1 decoder, called directly: `toString('latin1', ...)` reaches the same code
 * through an encoding dispatch that costs about as much again for a name-sized string.
 */
const latin1Slice: Latin1Slice =
  (Buffer.prototype as unknown as { latin1Slice?: Latin1Slice }).latin1Slice ??
  function (this: Buffer, start: number, end: number): string {
    return this.toString('latin1', start, end);
  };

/** Canonical text of a name already checked by `WireReader.name`, escaping as needed (rare). */
function escapedNameText(b: Uint8Array, at: number): string {
  let text = '';
  let p = at;
  for (let length = b[p]!; length !== 0; length = b[p]!) {
    if (length >= 0xc0) {
      p = ((length & 0x3f) << 8) | b[p + 1]!;
      continue;
    }
    text = `${appendLabelText(text, b, p + 1, length)}.`;
    p += length + 1;
  }
  return text;
}

/** A cursor over a whole message; every read checks bounds and throws `DecodeError`. */
export class WireReader {
  pos = 0;
  /** Reads stop here: the message end, or the RDATA end while decoding RDATA. */
  end: number;
  /** What running out of bytes means: a short message, or RDATA shorter than its content. */
  shortage: DecodeErrorCode = 'truncated';

  constructor(readonly bytes: Uint8Array) {
    this.end = bytes.length;
  }

  /** Throws `truncated` unless `count` more bytes are available. */
  need(count: number): void {
    if (this.pos + count > this.end) throw new DecodeError(this.shortage, this.pos);
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p]! << 8) | b[p + 1]!;
  }

  u32(): number {
    this.need(4);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 4;
    return b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
  }

  /**
   * Reads a possibly compressed name (RFC 1035 4.1.4) as canonical text. A pointer must point
   * strictly before the start of the labels it continues, so chains always move backwards.
   */
  name(): string {
    const b = this.bytes;
    const end = this.end;
    const start = this.pos;
    let p = start;
    let segmentStart = p;
    let resume = -1;
    let wireLength = 1;
    let hops = 0;
    // The text is gathered in a scratch buffer and made a string once (per-label concatenation
    // builds a string per step); `escapes` notes a byte that needs an escape in canonical text.
    const text = nameScratch;
    let n = 0;
    let escapes = 0;
    for (;;) {
      if (p >= end) throw new DecodeError(this.shortage, p);
      const length = b[p]!;
      if (length === 0) {
        this.pos = resume < 0 ? p + 1 : resume;
        if (n === 0) return '.';
        return escapes === 0 ? latin1Slice.call(text, 0, n) : escapedNameText(b, start);
      }
      if (length >= 0xc0) {
        if (p + 1 >= end) throw new DecodeError(this.shortage, p);
        const target = ((length & 0x3f) << 8) | b[p + 1]!;
        if (target >= segmentStart || ++hops > MAX_POINTER_HOPS) throw new DecodeError('bad-pointer', p);
        if (resume < 0) resume = p + 2;
        p = segmentStart = target;
        continue;
      }
      // 0x40 and 0x80 label types are extended/reserved (RFC 6891 5); we support none.
      if (length > 63) throw new DecodeError('bad-label', p);
      wireLength += length + 1;
      if (wireLength > 255) throw new DecodeError('name-too-long', p);
      if (p + 1 + length > end) throw new DecodeError(this.shortage, p);
      for (let i = p + 1, stop = p + 1 + length; i < stop; i++) {
        const c = b[i]!;
        escapes |= LABEL_ESCAPE[c]!;
        text[n++] = c;
      }
      text[n++] = 46;
      p += length + 1;
    }
  }

  /** A copy of the next `length` bytes. */
  bytesCopy(length: number): Uint8Array {
    this.need(length);
    const start = this.pos;
    this.pos = start + length;
    // A real copy as a plain Uint8Array (Buffer#slice would return a view).
    return new Uint8Array(this.bytes.subarray(start, start + length));
  }

  /** A length-prefixed character-string's raw bytes (RFC 1035 3.3), as a copy. */
  charStringBytes(): Uint8Array {
    return this.bytesCopy(this.u8());
  }

  /** A character-string as UTF-8 text, or its raw bytes when it is not valid UTF-8. */
  charString(): string | Uint8Array {
    const length = this.u8();
    return this.text(length) ?? new Uint8Array(this.bytes.subarray(this.pos - length, this.pos));
  }

  /** The next `length` bytes as UTF-8 text (advancing), or undefined if they are not valid UTF-8. */
  text(length: number): string | undefined {
    this.need(length);
    const b = this.bytes;
    const start = this.pos;
    const stop = start + length;
    this.pos = stop;
    let text = '';
    for (let i = start; i < stop; i++) {
      const c = b[i]!;
      if (c >= 0x80) {
        try {
          return utf8.decode(b.subarray(start, stop));
        } catch {
          return undefined;
        }
      }
      text += String.fromCharCode(c);
    }
    return text;
  }
}
