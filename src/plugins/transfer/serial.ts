/**
 * RFC 1982 serial number arithmetic for 32-bit SOA serials: `a < b` when b is ahead of a by less
 * than 2^31 (modulo 2^32). Serials exactly 2^31 apart are incomparable: neither is less.
 */
export function serialLess(a: number, b: number): boolean {
  const diff = (b - a) >>> 0;
  return diff !== 0 && diff < 0x8000_0000;
}
