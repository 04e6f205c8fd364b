/**
 * IPv4/IPv6 text <-> bytes, written for the codec's hot path (no regexes, no allocation beyond
 * the result). Parsing is strict: dotted-quad without leading zeros, RFC 4291 2.2 IPv6 text
 * without zone ids. Formatting of IPv6 follows RFC 5952.
 */

/** Writes the 4 bytes of a dotted-quad into `out` at `at`; false when `text` is not one. */
export function parseIPv4Into(text: string, out: Uint8Array, at: number): boolean {
  return parseQuad(text, 0, text.length, out, at);
}

function parseQuad(text: string, start: number, end: number, out: Uint8Array, at: number): boolean {
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const c = i === end ? 46 : text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 3) return false;
      out[at + part] = value;
      part++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      // A leading zero would be octal to some parsers: refuse the ambiguity.
      if (digits === 1 && value === 0) return false;
      value = value * 10 + (c - 48);
      digits++;
      if (value > 255) return false;
    } else {
      return false;
    }
  }
  return part === 4;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/** Writes the 16 bytes of an IPv6 address into `out` at `at`; false when `text` is not one. */
export function parseIPv6Into(text: string, out: Uint8Array, at: number): boolean {
  const groups = new Array<number>(8);
  let count = 0;
  let gap = -1;
  let i = 0;
  const end = text.length;
  if (end < 2) return false;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
  }
  while (i < end) {
    if (count === 8) return false;
    let value = 0;
    let digits = 0;
    const start = i;
    while (i < end && digits <= 4) {
      const h = hexValue(text.charCodeAt(i));
      if (h < 0) break;
      value = value * 16 + h;
      digits++;
      i++;
    }
    if (i < end && text.charCodeAt(i) === 46) {
      // Embedded IPv4 in the last 32 bits (RFC 4291 2.2 form 3).
      if (count > 6) return false;
      const quad = new Uint8Array(4);
      if (!parseQuad(text, start, end, quad, 0)) return false;
      groups[count++] = (quad[0]! << 8) | quad[1]!;
      groups[count++] = (quad[2]! << 8) | quad[3]!;
      i = end;
      break;
    }
    if (digits === 0 || digits > 4) return false;
    groups[count++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && text.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = count;
      i++;
    } else if (i === end) {
      return false;
    }
  }
  if (gap < 0 ? count !== 8 : count > 7) return false;
  const zeros = 8 - count;
  for (let g = 0, src = 0; g < 8; g++) {
    const v = gap >= 0 && g >= gap && g < gap + zeros ? 0 : groups[src++]!;
    out[at + 2 * g] = v >> 8;
    out[at + 2 * g + 1] = v & 0xff;
  }
  return true;
}

/** Dotted-quad text of the 4 bytes at `at`. */
export function formatIPv4(bytes: Uint8Array, at: number): string {
  return `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}`;
}

/** RFC 5952 text of the 16 bytes at `at`: lowercase, longest zero run (of 2+) as `::`. */
export function formatIPv6(bytes: Uint8Array, at: number): string {
  const groups = new Array<number>(8);
  for (let g = 0; g < 8; g++) groups[g] = (bytes[at + 2 * g]! << 8) | bytes[at + 2 * g + 1]!;
  // RFC 5952 5: IPv4-mapped addresses keep the dotted tail.
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0) {
    if (groups[5] === 0xffff) return `::ffff:${formatIPv4(bytes, at + 12)}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let g = 0; g < 8; ) {
    if (groups[g] !== 0) {
      g++;
      continue;
    }
    let run = g;
    while (run < 8 && groups[run] === 0) run++;
    if (run - g > bestLength) {
      bestStart = g;
      bestLength = run - g;
    }
    g = run;
  }
  if (bestStart < 0) return groups.map((v) => v.toString(16)).join(':');
  const head = groups.slice(0, bestStart).map((v) => v.toString(16));
  const tail = groups.slice(bestStart + bestLength).map((v) => v.toString(16));
  return `${head.join(':')}::${tail.join(':')}`;
}
