/**
 * Domain names between presentation text (RFC 1035 5.1) and wire labels. Shared by the reader,
 * the writer and the public name helpers.
 *
 * Canonical text: bytes 0x21..0x7e print as themselves except `.` `\` and the zone-file specials
 * `"` `(` `)` `;` `@` `$`, which get a backslash; every other byte prints as `\DDD`.
 */
import { EncodeError } from './errors.js';

/** Per byte: 0 prints as itself, 1 as backslash + itself, 2 as `\DDD`. */
export const LABEL_ESCAPE: Uint8Array = (() => {
  const table = new Uint8Array(256).fill(2);
  for (let b = 0x21; b <= 0x7e; b++) table[b] = 0;
  for (const c of '.\\"();@$') table[c.charCodeAt(0)] = 1;
  return table;
})();

/** Appends the canonical text of one label (without the trailing dot) to `text`. */
export function appendLabelText(text: string, bytes: Uint8Array, start: number, length: number): string {
  let out = text;
  for (let i = start, end = start + length; i < end; i++) {
    const b = bytes[i]!;
    const kind = LABEL_ESCAPE[b];
    if (kind === 0) out += String.fromCharCode(b);
    else if (kind === 1) out += `\\${String.fromCharCode(b)}`;
    else out += b < 10 ? `\\00${b}` : b < 100 ? `\\0${b}` : `\\${b}`;
  }
  return out;
}

/** Result of {@link parseNameText}: the labels' wire bytes and where each label starts. */
export interface ParsedNameText {
  /** Offset after the terminating root byte. */
  end: number;
  /** Number of non-root labels. */
  labels: number;
  /** True when the text is already canonical apart from letter case (no escapes needed). */
  plain: boolean;
}

function badName(name: string, why: string): EncodeError {
  return new EncodeError('bad-name', `bad name ${JSON.stringify(name)}: ${why}`);
}

/**
 * Writes the uncompressed wire form of `name` into `out` at `at` (the caller guarantees 256
 * bytes of room) and each label's start offset into `labelStarts`. `''`, `.` and a missing
 * trailing dot are accepted; throws `EncodeError` on bad escapes, empty labels, labels over 63
 * bytes, names over 255 bytes, and raw characters outside 0x21..0x7e (escape them).
 */
export function parseNameText(
  name: string,
  out: Uint8Array,
  at: number,
  labelStarts: Int32Array,
  result: ParsedNameText,
): void {
  if (typeof name !== 'string') throw badName(String(name), 'not a string');
  const length = name.length;
  let plain = true;
  let labels = 0;
  let labelStart = at;
  let p = at + 1;
  if (length === 0 || (length === 1 && name.charCodeAt(0) === 46)) {
    out[at] = 0;
    result.end = at + 1;
    result.labels = 0;
    result.plain = true;
    return;
  }
  for (let i = 0; i < length; i++) {
    let c = name.charCodeAt(i);
    if (c === 46) {
      const labelLength = p - labelStart - 1;
      if (labelLength === 0) throw badName(name, 'empty label');
      if (labelLength > 63) throw badName(name, 'label longer than 63 bytes');
      out[labelStart] = labelLength;
      labelStarts[labels++] = labelStart;
      labelStart = p;
      p++;
      if (p - at > 255) throw badName(name, 'longer than 255 bytes');
      continue;
    }
    if (c === 92) {
      plain = false;
      const d0 = name.charCodeAt(i + 1) - 48;
      if (d0 >= 0 && d0 <= 9) {
        const d1 = name.charCodeAt(i + 2) - 48;
        const d2 = name.charCodeAt(i + 3) - 48;
        if (!(d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9)) throw badName(name, '\\DDD needs three digits');
        c = d0 * 100 + d1 * 10 + d2;
        if (c > 255) throw badName(name, '\\DDD over 255');
        i += 3;
      } else {
        if (i + 1 >= length) throw badName(name, 'dangling backslash');
        c = name.charCodeAt(++i);
        if (c < 0x20 || c > 0x7e) throw badName(name, 'escaped character outside ASCII');
      }
    } else if (c < 0x21 || c > 0x7e) {
      throw badName(name, 'raw character outside 0x21..0x7e (use \\DDD)');
    } else if (plain && LABEL_ESCAPE[c] !== 0) {
      plain = false;
    }
    if (p - at >= 255) throw badName(name, 'longer than 255 bytes');
    out[p++] = c;
  }
  if (p - labelStart > 1) {
    const labelLength = p - labelStart - 1;
    if (labelLength > 63) throw badName(name, 'label longer than 63 bytes');
    out[labelStart] = labelLength;
    labelStarts[labels++] = labelStart;
    if (p - at + 1 > 255) throw badName(name, 'longer than 255 bytes');
    out[p++] = 0;
  } else {
    // The text ended with a dot: the slot reserved for the next label's length is the root byte.
    out[labelStart] = 0;
    p = labelStart + 1;
  }
  result.end = p;
  result.labels = labels;
  result.plain = plain;
}

/** Canonical text of the (pointer-free) wire name starting at `at`; `lower` folds A-Z. */
export function wireNameToText(bytes: Uint8Array, at: number, lower: boolean): string {
  let text = '';
  let p = at;
  for (let length = bytes[p]!; length !== 0; length = bytes[p]!) {
    let label = appendLabelText('', bytes, p + 1, length);
    if (lower) label = asciiLower(label);
    text += `${label}.`;
    p += length + 1;
  }
  return text === '' ? '.' : text;
}

/**
 * Whether `name` is already in normal form: fully qualified, lowercase, no byte needing an escape,
 * and valid (labels of 1 to 63 bytes, at most 255 bytes on the wire). Such a name normalises to
 * itself, so callers can skip parsing it; names coming out of the decoder are mostly like this.
 */
export function isPlainNormal(name: string): boolean {
  const length = name.length;
  // A plain name's wire form is one byte longer than its text (length bytes replace dots, plus root).
  if (length < 2 || length > 254 || name.charCodeAt(length - 1) !== 46) return false;
  let labelStart = 0;
  for (let i = 0; i < length; i++) {
    const c = name.charCodeAt(i);
    if (c === 46) {
      const labelLength = i - labelStart;
      if (labelLength === 0 || labelLength > 63) return false;
      labelStart = i + 1;
    } else if (c > 0x7e || LABEL_ESCAPE[c] !== 0 || (c >= 65 && c <= 90)) {
      return false;
    }
  }
  return true;
}

/** Lowercases A-Z only (names are ASCII on the wire; RFC 4343). */
export function asciiLower(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) return text.toLowerCase();
  }
  return text;
}

/** `name` with a trailing (unescaped) dot; `''` is the root. Does not validate. */
export function toFqdn(name: string): string {
  if (name === '') return '.';
  if (name.charCodeAt(name.length - 1) !== 46) return `${name}.`;
  let backslashes = 0;
  for (let i = name.length - 2; i >= 0 && name.charCodeAt(i) === 92; i--) backslashes++;
  return backslashes % 2 === 0 ? name : `${name}.`;
}
