import type { DnsContext, Peer, Plugin } from '../../core/types.js';
import type { ResourceRecord } from '../../wire/types.js';

/** The transport label of the SRV record: CoreDNS knows only `udp` and `tcp`; in-memory counts as `udp`. */
function transportLabel(peer: Peer): 'udp' | 'tcp' {
  return peer.transport === 'tcp' ? 'tcp' : 'udp';
}

/** The client's address record: A for IPv4, including IPv4-mapped IPv6 peers (as Go's `To4` sees them). */
function addressRecord(ctx: DnsContext): ResourceRecord {
  const { address, family } = ctx.peer;
  // The transport already knows the family: no IP parsing on the hot path. A dual-stack socket
  // reports IPv4 clients as IPv4-mapped IPv6 (::ffff:a.b.c.d); those get an A record.
  const mapped = family === 'IPv4' ? address : mappedIPv4(address);
  // Literal objects, not spreads: a spread here cost more than the rest of the answer. Class IN
  // whatever the question's class: an A record in class CH has another format (RFC 1035 3.4.1),
  // and CoreDNS's CH answer here is one that dig cannot parse.
  if (mapped === undefined) return { name: ctx.rawName, type: 'AAAA', class: 'IN', ttl: 0, data: address };
  return { name: ctx.rawName, type: 'A', class: 'IN', ttl: 0, data: mapped };
}

function mappedIPv4(address: string): string | undefined {
  if (address.length < 14 || !/^::ffff:\d/i.test(address)) return undefined;
  const tail = address.slice(7);
  return tail.includes('.') ? tail : undefined;
}

/** `_udp.<qname>` / `_tcp.<qname>`, or `_udp.` for the root. */
function srvOwner(ctx: DnsContext): string {
  const label = `_${transportLabel(ctx.peer)}`;
  return ctx.rawName === '.' ? `${label}.` : `${label}.${ctx.rawName}`;
}

/** Answers every query with the client's address, port and transport in ADDITIONAL (TTL 0, AA set). */
function answerWhoami(ctx: DnsContext): void {
  const srv: ResourceRecord = {
    name: srvOwner(ctx),
    type: 'SRV',
    class: 'IN',
    ttl: 0,
    data: { priority: 0, weight: 0, port: ctx.peer.port, target: '.' },
  };
  ctx.reply({ authoritative: true, additionals: [addressRecord(ctx), srv] });
}

/**
 * The `whoami` plugin: replies to any query, whatever its name or type, with an empty answer
 * section and the client's address (A or AAAA) and port (SRV `_udp.`/`_tcp.` + qname) in ADDITIONAL.
 * It never calls the next plugin.
 *
 * @example
 * ```ts
 * const server = createServer({ plugins: [whoami()] });
 * ```
 */
export function whoami(): Plugin {
  return { name: 'whoami', handle: answerWhoami };
}
