import { isIPv6 } from 'node:net';
import { normalizeName } from '../wire/names.js';
import { parseCidr, reverseZones } from './reverse.js';

/** Transports CoreDNS recognises in a server block key, with their default ports. */
export const transportPorts: Readonly<Record<string, number>> = {
  dns: 53,
  tls: 853,
  quic: 853,
  grpc: 443,
  https: 443,
  https3: 443,
};

/** The transports dnskit serves today. */
export const servedTransports: readonly string[] = ['dns'];

/** A server block key after normalisation: one or more zones on one port and transport. */
export interface ServerAddress {
  readonly transport: string;
  /** Normalised zones (lowercase, trailing dot); a CIDR key may give several reverse zones. */
  readonly zones: readonly string[];
  readonly port: number;
}

/** Lowercases and fully qualifies a name: `Example.ORG` becomes `example.org.`. */
export function normalizeZone(name: string): string {
  return normalizeName(name);
}

/** Splits `scheme://rest`; no scheme means `dns`. Throws on a scheme CoreDNS does not know. */
function splitTransport(key: string): { transport: string; rest: string } {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(key);
  if (match === null) return { transport: 'dns', rest: key };
  const scheme = match[1] as string;
  if (transportPorts[scheme] === undefined) {
    const known = Object.keys(transportPorts).map((t) => `${t}://`);
    throw new Error(`unknown transport '${scheme}://' in '${key}'; known transports: ${known.join(', ')}`);
  }
  return { transport: scheme, rest: key.slice(match[0].length) };
}

/** A trailing `:DIGITS` is the port (CoreDNS looks from the back, so `a.org:53` and `10.0.0.0/8:53` work). */
function splitPort(text: string): { host: string; port: number | undefined } {
  const colon = text.lastIndexOf(':');
  if (colon !== -1 && colon === text.length - 1)
    throw new Error(`expecting data after last colon: "${text}"`);
  const portText = colon === -1 ? '' : text.slice(colon + 1);
  if (!/^\d+$/.test(portText)) return { host: text, port: undefined };
  const port = Number(portText);
  if (port > 65535) throw new Error(`port ${portText} is out of range (0-65535)`);
  return { host: text.slice(0, colon), port };
}

/** `[2001:db8::1]` or `[2001:db8::/32]`: an IPv6 address or network in brackets (an address is a /128). */
function bracketed(host: string): string | undefined {
  const match = /^\[([^\]]*)\]$/.exec(host);
  if (match === null) return undefined;
  const inner = match[1] as string;
  if (isIPv6(inner)) return `${inner}/128`;
  if (parseCidr(inner)?.family === 6) return inner;
  throw new Error(`'${host}' is not an IPv6 address or network in brackets`);
}

/** Like miekg/dns `IsDomainName`: labels of 1-63 octets, at most 255 in all, `.` alone is the root. */
function checkDomainName(host: string): void {
  if (host.length > 255) throw new Error(`specified zone is too long: ${host.length} > 255`);
  if (host === '.') return;
  const labels = (host.endsWith('.') ? host.slice(0, -1) : host).split('.');
  if (host === '' || labels.some((l) => l.length === 0 || l.length > 63) || /[\s[\]]/.test(host)) {
    throw new Error(`zone is not a valid domain name: ${host}`);
  }
}

/**
 * Parses one server block key the way CoreDNS does: an optional transport (`dns://`, `tls://`,
 * `https://`, `grpc://`, `quic://`, `https3://`), a zone or a CIDR, and an optional `:PORT`
 * (default: the transport's port, or `defaultPort` for `dns`). A CIDR becomes the reverse zones
 * covering it. Throws an `Error` whose message says what is wrong (the builder adds the location).
 */
export function parseServerKey(key: string, defaultPort = 53): ServerAddress {
  const { transport, rest } = splitTransport(key);
  const { host, port } = splitPort(rest);
  const fallback = transport === 'dns' ? defaultPort : (transportPorts[transport] as number);
  const network = parseCidr(bracketed(host) ?? host);
  if (network !== undefined) return { transport, zones: reverseZones(network), port: port ?? fallback };
  checkDomainName(host);
  return { transport, zones: [normalizeZone(host)], port: port ?? fallback };
}
