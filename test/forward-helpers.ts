/**
 * Upstreams for the forward tests: small raw DNS servers on loopback (UDP and TCP on one port)
 * whose answers the test controls, so that they can be slow, silent, truncating or spoofing.
 */
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createFrameReader, decodeMessage, encodeMessage, frameMessage } from '../src/wire/index.js';
import type { DnsMessage, ResourceRecord } from '../src/wire/types.js';

/** What an upstream does with one query: a reply, or undefined to stay silent. */
export type Responder = (
  query: DnsMessage,
  transport: 'udp' | 'tcp',
) => DnsMessage | undefined | Promise<DnsMessage | undefined>;

/** A reply to `query` with these answers (and the query's ID and question), RA set. */
export function replyTo(
  query: DnsMessage,
  answers: readonly ResourceRecord[],
  init: Partial<DnsMessage> = {},
): DnsMessage {
  return {
    ...query,
    flags: { ...query.flags, qr: true, ra: true },
    answers,
    authorities: [],
    additionals: [],
    ...init,
  };
}

/** An A record for the query's name. */
export function aRecord(query: DnsMessage, address: string, ttl = 60): ResourceRecord {
  return { name: query.questions[0]?.name ?? '.', type: 'A', class: 'IN', ttl, data: address };
}

/** A raw upstream on 127.0.0.1: UDP and TCP on the same port. */
export class FakeUpstream {
  readonly queries: { message: DnsMessage; transport: 'udp' | 'tcp'; from: RemoteInfo | undefined }[] = [];
  tcpConnections = 0;
  private readonly sockets = new Set<Socket>();

  readonly port: number;

  private constructor(
    readonly udp: UdpSocket,
    readonly tcp: Server,
    public respond: Responder,
  ) {
    this.port = udp.address().port;
  }

  /** Starts an upstream; `port` 0 picks a free one (pass a port to restart a stopped upstream). */
  static async start(respond: Responder, port = 0): Promise<FakeUpstream> {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, '127.0.0.1', () => resolve());
    });
    const tcp = createTcpServer();
    const upstream = new FakeUpstream(udp, tcp, respond);
    udp.on('message', (bytes, from) => upstream.onUdp(bytes, from));
    tcp.on('connection', (socket) => upstream.onTcp(socket));
    await new Promise<void>((resolve) => tcp.listen(udp.address().port, '127.0.0.1', () => resolve()));
    return upstream;
  }

  /** A responder answering every A query with `address`. */
  static answering(address: string, port = 0): Promise<FakeUpstream> {
    return FakeUpstream.start((query) => replyTo(query, [aRecord(query, address)]), port);
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Queries other than health checks (`. NS`). */
  get lookups(): DnsMessage[] {
    return this.queries.map((q) => q.message).filter((m) => m.questions[0]?.type !== 'NS');
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.udp.close(() => resolve()));
    await new Promise<void>((resolve) => this.tcp.close(() => resolve()));
  }

  private onUdp(bytes: Buffer, from: RemoteInfo): void {
    const message = decodeMessage(new Uint8Array(bytes));
    this.queries.push({ message, transport: 'udp', from });
    void Promise.resolve(this.respond(message, 'udp')).then((reply) => {
      if (reply !== undefined) this.udp.send(encodeMessage(reply), from.port, from.address);
    });
  }

  private onTcp(socket: Socket): void {
    this.tcpConnections++;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    const reader = createFrameReader((frame) => {
      const message = decodeMessage(frame);
      this.queries.push({ message, transport: 'tcp', from: undefined });
      void Promise.resolve(this.respond(message, 'tcp')).then((reply) => {
        if (reply !== undefined && !socket.destroyed) socket.write(frameMessage(encodeMessage(reply)));
      });
    });
    socket.on('data', (chunk) => reader.push(new Uint8Array(chunk)));
  }
}

/** A local port with nothing listening on UDP or TCP (bound, noted, closed). */
export async function deadPort(): Promise<number> {
  const upstream = await FakeUpstream.answering('192.0.2.0');
  const port = upstream.port;
  await upstream.close();
  return port;
}
