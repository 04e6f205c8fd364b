import { isIPv4, isIPv6 } from 'node:net';

/** A parsed network: its family, address as an integer, and prefix length. */
export interface Network {
  readonly family: 4 | 6;
  readonly address: bigint;
  readonly prefix: number;
}

function ipv4ToBigInt(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6ToBigInt(ip: string): bigint {
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1] !== undefined) {
    const n = ipv4ToBigInt(v4[1]);
    text = `${text.slice(0, v4.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

/** Parses `ADDRESS/PREFIX` (IPv4 or IPv6), masking host bits as Go's `net.ParseCIDR` does; undefined if not a CIDR. */
export function parseCidr(text: string): Network | undefined {
  const slash = text.indexOf('/');
  if (slash === -1) return undefined;
  const ip = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const family = isIPv4(ip) ? 4 : isIPv6(ip) && !ip.includes('%') ? 6 : undefined;
  if (family === undefined) return undefined;
  const bits = family === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  const raw = family === 4 ? ipv4ToBigInt(ip) : ipv6ToBigInt(ip);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  return { family, address: raw & ~hostMask, prefix };
}

/** Digits of the reverse name: 8-bit octets for IPv4, 4-bit nibbles for IPv6. */
function digitBits(family: 4 | 6): number {
  return family === 4 ? 8 : 4;
}

/**
 * Splits a network into the smallest set of networks whose prefixes fall on a reverse-name digit
 * boundary (octet for IPv4, nibble for IPv6), as CoreDNS's `cidr.Split` does: `10.0.0.0/15` gives
 * `10.0.0.0/16` and `10.1.0.0/16`.
 */
export function splitOnDigitBoundary(network: Network): Network[] {
  const step = digitBits(network.family);
  if (network.prefix % step === 0) return [network];
  const bits = network.family === 4 ? 32 : 128;
  const prefix = Math.ceil(network.prefix / step) * step;
  const size = 1n << BigInt(bits - prefix);
  const count = 1 << (prefix - network.prefix);
  return Array.from({ length: count }, (_, i) => ({
    family: network.family,
    address: network.address + BigInt(i) * size,
    prefix,
  }));
}

/** The reverse zone of a network whose prefix is on a digit boundary (RFC 1035 3.5, RFC 3596 2.5). */
export function reverseZoneOf(network: Network): string {
  const step = digitBits(network.family);
  const bits = network.family === 4 ? 32 : 128;
  const digits: string[] = [];
  for (let i = 0; i < network.prefix / step; i++) {
    const shift = BigInt(bits - (i + 1) * step);
    const digit = (network.address >> shift) & ((1n << BigInt(step)) - 1n);
    digits.push(digit.toString(network.family === 4 ? 10 : 16));
  }
  const suffix = network.family === 4 ? 'in-addr.arpa.' : 'ip6.arpa.';
  return [...digits.reverse(), suffix].join('.');
}

/** The reverse zones that together cover `cidr` (CoreDNS's `cidr.Reverse(cidr.Split(n))`). */
export function reverseZones(network: Network): string[] {
  return splitOnDigitBoundary(network).map(reverseZoneOf);
}
