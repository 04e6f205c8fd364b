import { createServer, type Server, type Socket } from 'node:net';
import type { LocalAddress } from '../core/context.js';
import type { ErrorReporter, PacketHandler } from './packet-handler.js';
import { type ConnectionLimits, TcpConnection } from './tcp-connection.js';

/** Settings of a TCP listener (see `TcpOptions` for the defaults). */
export interface TcpListenerLimits extends ConnectionLimits {
  readonly maxConnections: number;
}

/** A DNS-over-TCP listener on one address (RFC 7766). */
export class TcpListener {
  private readonly connections = new Set<TcpConnection>();
  private readonly localAddress: LocalAddress;
  private closing: Promise<void> | undefined = undefined;

  private constructor(
    private readonly server: Server,
    private readonly handler: PacketHandler,
    private readonly limits: TcpListenerLimits,
    private readonly report: ErrorReporter,
  ) {
    const bound = server.address();
    this.localAddress =
      bound !== null && typeof bound === 'object'
        ? { address: bound.address, port: bound.port }
        : { address: '', port: 0 };
    // Node closes connections over `maxConnections` as soon as they are accepted.
    server.maxConnections = limits.maxConnections;
    server.on('connection', (socket) => this.accept(socket));
    server.on('error', report);
  }

  /** Listens on the address; IPv6 listeners are IPv6-only so that `0.0.0.0` and `::` share a port. */
  static open(
    address: string,
    port: number,
    handler: PacketHandler,
    limits: TcpListenerLimits,
    report: ErrorReporter,
  ): Promise<TcpListener> {
    const server = createServer({ noDelay: true });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: address, port, ipv6Only: true, exclusive: true }, () => {
        server.off('error', reject);
        resolve(new TcpListener(server, handler, limits, report));
      });
    });
  }

  /** The address and port actually bound. */
  get local(): LocalAddress {
    return this.localAddress;
  }

  /** Open connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Stops accepting connections; open ones keep being served. */
  stopAccepting(): void {
    // server.close() may run only once: a second call would wait for a 'close' already emitted.
    this.closing ??= new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Stops accepting and closes every connection once its written answers are flushed. */
  close(): Promise<void> {
    this.stopAccepting();
    for (const connection of [...this.connections]) connection.closeGracefully();
    return this.closing ?? Promise.resolve();
  }

  private accept(socket: Socket): void {
    const connection = new TcpConnection(
      socket,
      this.localAddress,
      this.handler,
      this.limits,
      this.report,
      (c) => this.connections.delete(c),
    );
    this.connections.add(connection);
  }
}
