import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { LocalAddress } from '../core/context.js';
import type { ResponseSink } from '../core/sink.js';
import type { Peer } from '../core/types.js';
import { type ErrorReporter, familyOf, type PacketHandler } from './packet-handler.js';

/**
 * A UDP listener on one address. Responses are sent from the socket the query arrived on, so
 * the client sees the address it asked.
 */
export class UdpListener implements ResponseSink {
  private accepting = true;
  private readonly localAddress: LocalAddress;

  private constructor(
    private readonly socket: Socket,
    private readonly handler: PacketHandler,
    private readonly report: ErrorReporter,
  ) {
    const bound = socket.address();
    this.localAddress = { address: bound.address, port: bound.port };
    socket.on('message', (bytes, rinfo) => this.receive(bytes, rinfo));
  }

  /** Binds a UDP socket; IPv6 sockets are IPv6-only so that `0.0.0.0` and `::` can share a port. */
  static open(
    address: string,
    port: number,
    handler: PacketHandler,
    report: ErrorReporter,
  ): Promise<UdpListener> {
    const socket = createSocket(isIPv6(address) ? { type: 'udp6', ipv6Only: true } : { type: 'udp4' });
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        socket.close();
        reject(error);
      };
      socket.once('error', fail);
      socket.bind(port, address, () => {
        socket.off('error', fail);
        // A socket error (ICMP unreachable surfaced on send, a full buffer) must not kill the server.
        socket.on('error', report);
        resolve(new UdpListener(socket, handler, report));
      });
    });
  }

  /** The address and port actually bound. */
  get local(): LocalAddress {
    return this.localAddress;
  }

  send(response: Uint8Array, peer: Peer): void {
    try {
      this.socket.send(response, peer.port, peer.address);
    } catch {
      // The socket is closing, or the source port is unusable (0): a spoofable condition, so
      // not worth a log line per packet.
    }
  }

  drop(): void {}

  /** Ignores new packets from now on; in-flight queries still get their answers. */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Closes the socket. */
  close(): Promise<void> {
    this.accepting = false;
    return new Promise((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve(); // already closed
      }
    });
  }

  private receive(bytes: Buffer, rinfo: RemoteInfo): void {
    if (!this.accepting) return;
    const peer: Peer = {
      address: rinfo.address,
      port: rinfo.port,
      transport: 'udp',
      family: familyOf(rinfo.family),
    };
    try {
      this.handler(bytes, peer, this.localAddress, this);
    } catch (error) {
      this.report(error);
    }
  }
}
