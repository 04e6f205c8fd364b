/**
 * IP text helpers for the cluster model: canonical text (so that lookups by IP match whatever
 * spelling the API or a manifest used), and the reverse-name mapping of RFC 1035 3.5 / RFC 3596 2.5.
 * @module
 */
import { formatIPv4, formatIPv6, parseIPv4Into, parseIPv6Into } from '../wire/ip.js';

const scratch = new Uint8Array(16);

/** Canonical text of an IP (dotted quad, or RFC 5952 IPv6); undefined when `text` is not an IP. */
export function canonicalIp(text: string): string | undefined {
  if (parseIPv4Into(text, scratch, 0)) return formatIPv4(scratch, 0);
  if (parseIPv6Into(text, scratch, 0)) {
    // An IPv4-mapped IPv6 address names the IPv4 host, as Go's net.IP.To4 sees it.
    const mapped = formatIPv6(scratch, 0);
    return mapped.startsWith('::ffff:') && mapped.includes('.') ? mapped.slice(7) : mapped;
  }
  return undefined;
}

/** True for IPv4 text (the canonical form of an IPv4-mapped address included). */
export function isIPv4(ip: string): boolean {
  return ip.includes('.');
}

/** The PTR owner name of an IP: `d.c.b.a.in-addr.arpa.` or the 32 nibbles under `ip6.arpa.`. */
export function reverseName(ip: string): string | undefined {
  if (parseIPv4Into(ip, scratch, 0)) {
    return `${scratch[3]}.${scratch[2]}.${scratch[1]}.${scratch[0]}.in-addr.arpa.`;
  }
  if (!parseIPv6Into(ip, scratch, 0)) return undefined;
  const nibbles: string[] = [];
  for (let i = 15; i >= 0; i--) {
    const byte = scratch[i] ?? 0;
    nibbles.push((byte & 0xf).toString(16), (byte >> 4).toString(16));
  }
  return `${nibbles.join('.')}.ip6.arpa.`;
}

/** The IP a complete reverse name stands for (`4.3.2.1.in-addr.arpa.` -> `1.2.3.4`); undefined otherwise. */
export function ipFromReverseName(name: string): string | undefined {
  if (name.endsWith('.in-addr.arpa.')) {
    const labels = name.slice(0, -'.in-addr.arpa.'.length).split('.');
    if (labels.length !== 4) return undefined;
    return canonicalIp(labels.reverse().join('.'));
  }
  if (name.endsWith('.ip6.arpa.')) {
    const labels = name.slice(0, -'.ip6.arpa.'.length).split('.');
    if (labels.length !== 32 || labels.some((label) => !/^[0-9a-f]$/.test(label))) return undefined;
    const hex = labels.reverse().join('');
    const groups: string[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(hex.slice(i, i + 4));
    return canonicalIp(groups.join(':'));
  }
  return undefined;
}
