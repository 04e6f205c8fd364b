import { matchZone } from '../../core/zones.js';
import { formatIPv4, formatIPv6, parseIPv4Into, parseIPv6Into } from '../../wire/ip.js';
import { normalizeName } from '../../wire/names.js';

/** One parsed hosts file: addresses by name, and (unless `no_reverse`) names by address. */
export interface HostsTable {
  /** IPv4 addresses by lowercased, fully qualified name, in file order. */
  readonly name4: ReadonlyMap<string, readonly string[]>;
  /** IPv6 addresses by name. */
  readonly name6: ReadonlyMap<string, readonly string[]>;
  /** Names by canonical address text (dotted quad, RFC 5952 IPv6). */
  readonly addr: ReadonlyMap<string, readonly string[]>;
  /** Addresses plus reverse entries: CoreDNS's `coredns_hosts_entries`. */
  readonly size: number;
}

/** How {@link parseHosts} filters and indexes. */
export interface ParseHostsOptions {
  /** Only names under these zones are kept (normalised); default the root. */
  readonly zones?: readonly string[];
  /** Index names by address for PTR answers; default true. */
  readonly reverse?: boolean;
}

/** An address as hosts(5) writes it, classified the way CoreDNS does. */
export interface ParsedAddress {
  readonly family: 4 | 6;
  /** Canonical text: IPv4-mapped IPv6 (`::ffff:10.0.0.2`) becomes its IPv4 form, as Go's `To4` sees it. */
  readonly text: string;
}

const scratch = new Uint8Array(16);

/** Parses an IPv4 or IPv6 literal (an IPv6 zone `%eth0` is dropped); undefined when it is neither. */
export function parseAddress(literal: string): ParsedAddress | undefined {
  const percent = literal.indexOf('%');
  const text = percent >= 0 ? literal.slice(0, percent) : literal;
  if (parseIPv4Into(text, scratch, 0)) return { family: 4, text: formatIPv4(scratch, 0) };
  if (!parseIPv6Into(text, scratch, 0)) return undefined;
  if (isMappedIPv4(scratch)) return { family: 4, text: formatIPv4(scratch, 12) };
  return { family: 6, text: formatIPv6(scratch, 0) };
}

function isMappedIPv4(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

function append(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/**
 * Parses hosts(5) text: `ADDRESS NAME [ALIASES...]` per line, `#` starts a comment, lines with
 * fewer than two fields or an unparsable address are skipped. Names are lowercased and made fully
 * qualified; names outside `zones` are dropped.
 */
export function parseHosts(text: string, options: ParseHostsOptions = {}): HostsTable {
  const zones = options.zones ?? ['.'];
  const reverse = options.reverse ?? true;
  const name4 = new Map<string, string[]>();
  const name6 = new Map<string, string[]>();
  const addr = new Map<string, string[]>();
  let size = 0;
  for (const rawLine of text.split('\n')) {
    const hash = rawLine.indexOf('#');
    const fields = (hash >= 0 ? rawLine.slice(0, hash) : rawLine).split(/\s+/).filter((f) => f !== '');
    if (fields.length < 2) continue;
    const address = parseAddress(fields[0] as string);
    if (address === undefined) continue;
    for (const field of fields.slice(1)) {
      const name = hostName(field);
      if (name === undefined || matchZone(zones, name) === undefined) continue;
      append(address.family === 4 ? name4 : name6, name, address.text);
      size++;
      if (!reverse) continue;
      append(addr, address.text, name);
      size++;
    }
  }
  return { name4, name6, addr, size };
}

function hostName(field: string): string | undefined {
  try {
    return normalizeName(field);
  } catch {
    return undefined; // not a valid DNS name (too long, empty label): nothing to serve
  }
}

/** An empty table. */
export const emptyHosts: HostsTable = parseHosts('');
