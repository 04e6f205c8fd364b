import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { ListenAddress } from '../../core/types.js';
import { encodeMessage, readHeader } from '../../wire/index.js';
import type { DnsMessage } from '../../wire/types.js';

/** One of Go's `rand.Int()` values: a non-negative 63-bit integer, in decimal. */
function randomInt63(): string {
  return BigInt.asUintN(63, randomBytes(8).readBigUInt64BE()).toString();
}

/** CoreDNS's probe name: `<random>.<random>.<zone>`. */
export function probeName(zone: string): string {
  return zone === '.' ? `${randomInt63()}.${randomInt63()}.` : `${randomInt63()}.${randomInt63()}.${zone}`;
}

/** Where to send the probe (a wildcard listener is reached on loopback) and how CoreDNS names it. */
export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
  /** As CoreDNS prints it: `:53` for every address, else `host:port`. */
  readonly label: string;
}

/** The block's first UDP listener as a probe target, or undefined when it has none. */
export function probeTarget(addresses: readonly ListenAddress[]): ProbeTarget | undefined {
  const udp = addresses.find((a) => a.transport === 'udp');
  if (udp === undefined) return undefined;
  const wildcard = udp.address === '0.0.0.0' || udp.address === '::';
  const host = wildcard ? (udp.address === '::' ? '::1' : '127.0.0.1') : udp.address;
  const label = wildcard ? `:${udp.port}` : isIPv6(host) ? `[${host}]:${udp.port}` : `${host}:${udp.port}`;
  return { host, port: udp.port, label };
}

/** A HINFO query for the probe name, as CoreDNS's `SetQuestion(qname, TypeHINFO)` makes it. */
function probeQuery(name: string): DnsMessage {
  return {
    id: randomBytes(2).readUInt16BE(),
    opcode: 'QUERY',
    rcode: 'NOERROR',
    flags: { qr: false, aa: false, tc: false, rd: true, ra: false, z: false, ad: false, cd: false },
    questions: [{ name, type: 'HINFO', class: 'IN' }],
    answers: [],
    authorities: [],
    additionals: [],
    edns: undefined,
  };
}

/**
 * Sends the probe over UDP and resolves true when any answer with its ID comes back within
 * `timeoutMs` (Go's `dns.Exchange` default is 2 s), false on a timeout or a socket error.
 */
export function sendProbe(target: ProbeTarget, name: string, timeoutMs: number): Promise<boolean> {
  const query = probeQuery(name);
  const socket = createSocket(isIPv6(target.host) ? 'udp6' : 'udp4');
  return new Promise<boolean>((resolve) => {
    const finish = (answered: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('error', () => finish(false));
    socket.on('message', (message) => {
      if (readHeader(new Uint8Array(message))?.id === query.id) finish(true);
    });
    socket.send(encodeMessage(query, { maxSize: 512 }), target.port, target.host);
  });
}
