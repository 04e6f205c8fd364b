import { isIP } from 'node:net';
import type { DnsContext, Peer, Plugin } from '../../core/types.js';
import type { ResourceRecord } from '../../wire/types.js';

/** The transport label of the SRV record: CoreDNS knows only `udp` and `tcp`; in-memory counts as `udp`. */
function transportLabel(peer: Peer): 'udp' | 'tcp' {
  return peer.transport === 'tcp' ? 'tcp' : 'udp';
}

/** The client's address record: A for IPv4, including IPv4-mapped IPv6 peers (as Go's `To4` sees them). */
function addressRecord(ctx: DnsContext): ResourceRecord {
  const { address } = ctx.peer;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const base = { name: ctx.rawName, class: ctx.question.class, ttl: 0 };
  if (mapped !== undefined) return { ...base, type: 'A', data: mapped };
  if (isIP(address) === 6) return { ...base, type: 'AAAA', data: address };
  return { ...base, type: 'A', data: address };
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
    class: ctx.question.class,
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
