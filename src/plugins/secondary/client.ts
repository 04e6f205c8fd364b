import { connect } from 'node:net';
import {
  createFrameReader,
  decodeMessage,
  encodeMessage,
  frameMessage,
  isSubdomain,
} from '../../wire/index.js';
import type { DnsMessage, ResourceRecord, RRType, SoaData } from '../../wire/types.js';
import type { TransferTarget } from '../transfer/transfer.js';

/** How long a connection may stay silent before the exchange fails. */
export const defaultIdleMs = 5000;

function query(zone: string, type: RRType): DnsMessage {
  return {
    id: Math.floor(Math.random() * 0x10000),
    opcode: 'QUERY',
    rcode: 'NOERROR',
    flags: { qr: false, aa: false, tc: false, rd: false, ra: false, z: false, ad: false, cd: false },
    questions: [{ name: zone, type, class: 'IN' }],
    answers: [],
    authorities: [],
    additionals: [],
  };
}

/**
 * Sends one query over TCP and collects responses until `done` says the answer is complete (one
 * message for an SOA query, up to the closing SOA for an AXFR). Rejects on a wrong ID, an error
 * rcode, a closed connection, silence for `idleMs`, or `signal`.
 */
export function exchangeTcp(
  target: TransferTarget,
  request: DnsMessage,
  done: (messages: readonly DnsMessage[]) => boolean,
  options: { readonly idleMs?: number; readonly signal?: AbortSignal } = {},
): Promise<DnsMessage[]> {
  return new Promise((resolve, reject) => {
    const messages: DnsMessage[] = [];
    const socket = connect({ host: target.address, port: target.port });
    const fail = (error: Error) => {
      socket.destroy();
      options.signal?.removeEventListener('abort', onAbort);
      reject(error);
    };
    const onAbort = () => fail(new Error('transfer aborted'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const reader = createFrameReader((frame) => {
      const message = decodeMessage(frame);
      if (message.id !== request.id)
        throw new Error(`response ID ${message.id} does not match ${request.id}`);
      if (message.rcode !== 'NOERROR') throw new Error(`primary answered ${message.rcode}`);
      messages.push(message);
      if (!done(messages)) return;
      socket.destroy();
      options.signal?.removeEventListener('abort', onAbort);
      resolve(messages);
    });
    socket.setTimeout(options.idleMs ?? defaultIdleMs, () => fail(new Error('primary went silent')));
    socket.on('connect', () => socket.write(frameMessage(encodeMessage(request, { maxSize: 65535 }))));
    socket.on('data', (chunk) => {
      try {
        reader.push(chunk);
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('primary closed the connection before the answer was complete')));
  });
}

/** The serial of the primary's SOA for `zone` (asked over TCP, as CoreDNS does, to resist spoofing). */
export async function primarySerial(
  target: TransferTarget,
  zone: string,
  signal?: AbortSignal,
): Promise<number> {
  const [response] = await exchangeTcp(target, query(zone, 'SOA'), () => true, signal ? { signal } : {});
  const soa = response?.answers.find((record) => record.type === 'SOA');
  if (soa === undefined) throw new Error(`no SOA for ${zone} in the primary's answer`);
  return (soa.data as SoaData).serial;
}

function axfrComplete(messages: readonly DnsMessage[]): boolean {
  let count = 0;
  let last: ResourceRecord | undefined;
  for (const message of messages) {
    count += message.answers.length;
    last = message.answers[message.answers.length - 1] ?? last;
  }
  // RFC 5936 2.2: the transfer ends with the second SOA (a lone SOA answers an up-to-date IXFR).
  return count >= 2 && last?.type === 'SOA';
}

/**
 * Pulls a whole zone by AXFR (RFC 5936): the records between the opening and closing SOA, the
 * opening SOA included. Records outside the zone are dropped (RFC 5936 3.3 says to ignore them).
 */
export async function transferIn(
  target: TransferTarget,
  zone: string,
  signal?: AbortSignal,
): Promise<ResourceRecord[]> {
  const messages = await exchangeTcp(target, query(zone, 'AXFR'), axfrComplete, signal ? { signal } : {});
  const records = messages.flatMap((message) => message.answers);
  if (records[0]?.type !== 'SOA') throw new Error(`the transfer of ${zone} does not start with its SOA`);
  return records.slice(0, -1).filter((record) => isSubdomain(record.name, zone));
}
