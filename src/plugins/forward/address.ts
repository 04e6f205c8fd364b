import { isIP } from 'node:net';
import { parseResolvConf } from '../../plugin-kit/resolv-conf.js';

/** How dnskit talks to an upstream: plain DNS (UDP, or TCP when asked) or DNS over TLS (RFC 7858). */
export type UpstreamProtocol = 'dns' | 'tls';

/** One upstream resolver, as a `forward` TO parses into. */
export interface UpstreamAddress {
  readonly protocol: UpstreamProtocol;
  /** An IP address (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
}

/** Default ports: 53 for DNS, 853 for DNS over TLS (RFC 7858 3.1). */
const DEFAULT_PORTS: Readonly<Record<UpstreamProtocol, number>> = { dns: 53, tls: 853 };

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** `IP`, `IP:port`, `[v6]`, `[v6]:port` or a bare IPv6 address; undefined when it is none of those. */
function splitHostPort(text: string, defaultPort: number): { host: string; port: number } | undefined {
  if (isIP(text) !== 0) return { host: text, port: defaultPort };
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed !== null) {
    const [, host = '', portText] = bracketed;
    const port = portText === undefined ? defaultPort : parsePort(portText);
    return isIP(host) === 6 && port !== undefined ? { host, port } : undefined;
  }
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const host = text.slice(0, colon);
  const port = parsePort(text.slice(colon + 1));
  return isIP(host) === 4 && port !== undefined ? { host, port } : undefined;
}

/**
 * Parses a TO address: `1.2.3.4`, `1.2.3.4:5353`, `[2001:db8::1]:53`, `dns://...`, `tls://...`
 * (port 853 by default). Returns undefined for anything else (a file name, a host name).
 */
export function parseUpstreamAddress(text: string): UpstreamAddress | undefined {
  let protocol: UpstreamProtocol = 'dns';
  let rest = text;
  const scheme = /^([a-z0-9+.-]+):\/\//i.exec(text);
  if (scheme !== null) {
    const name = (scheme[1] ?? '').toLowerCase();
    if (name !== 'dns' && name !== 'tls') return undefined;
    protocol = name;
    rest = text.slice(scheme[0].length);
  }
  const hostPort = splitHostPort(rest, DEFAULT_PORTS[protocol]);
  return hostPort === undefined ? undefined : { protocol, ...hostPort };
}

/** The transport named by a `scheme://` prefix, or undefined when there is none. */
export function schemeOf(text: string): string | undefined {
  return /^([a-z0-9+.-]+):\/\//i.exec(text)?.[1]?.toLowerCase();
}

/** `host:port` with IPv6 hosts in brackets: the `to` label of the metrics, as CoreDNS writes it. */
export function formatHostPort(address: UpstreamAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** The nameservers of resolv.conf text that are IP addresses (scope suffixes dropped), all of them. */
export function resolvConfNameservers(text: string): string[] {
  return parseResolvConf(text, { maxNameservers: Number.POSITIVE_INFINITY })
    .nameservers.map((server) => server.replace(/%.*$/, ''))
    .filter((server) => isIP(server) !== 0);
}
