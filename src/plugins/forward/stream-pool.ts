import { connect as netConnect, type Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { createFrameReader, frameMessage } from '../../wire/framing.js';
import type { DnsMessage } from '../../wire/types.js';
import { acceptReply, type Expectation } from './reply.js';
import { UpstreamError, Waiter } from './waiter.js';

/** A TCP or TLS connection carrying one query at a time (as CoreDNS's persistent connections). */
interface PooledConnection {
  readonly socket: Socket;
  usedAt: number;
  closed: boolean;
  /** Whether a reply ever arrived: a reused connection closed before answering is retried. */
  waiting: { waiter: Waiter<DnsMessage>; expect: Expectation } | undefined;
}

/** Settings of a {@link StreamPool}. */
export interface StreamPoolOptions {
  readonly host: string;
  readonly port: number;
  /** TLS settings for DNS over TLS (RFC 7858); plain TCP without. */
  readonly tls?: ConnectionOptions;
  /** Idle connections unused for longer than this are closed (CoreDNS's `expire`). */
  readonly expireMs: number;
  /** Called with true when an idle connection was reused, false when a new one was opened. */
  readonly onDial?: (cached: boolean) => void;
}

/** Idle connections kept per upstream and transport. */
const MAX_IDLE = 16;

/**
 * TCP (RFC 7766) or TLS (RFC 7858) connections to one upstream, kept for reuse until idle for
 * `expireMs`. A query takes an idle connection (oldest first) or opens one, writes its framed
 * message, and waits for the frame with its ID and question; other frames are dropped.
 */
export class StreamPool {
  private idle: PooledConnection[] = [];
  private closed = false;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: StreamPoolOptions) {}

  /** Sends the query; a reused connection that the peer had closed is replaced once. */
  async exchange(
    query: Uint8Array,
    expect: Expectation,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<DnsMessage> {
    const deadline = performance.now() + timeoutMs;
    const reused = this.idleConnection();
    if (reused !== undefined) {
      try {
        return await this.exchangeOn(reused, query, expect, deadline - performance.now(), signal);
      } catch (error) {
        if (!(error instanceof UpstreamError) || error.code !== 'closed') throw error;
      }
    }
    const fresh = await this.open(deadline - performance.now(), signal);
    return this.exchangeOn(fresh, query, expect, deadline - performance.now(), signal);
  }

  /** Closes idle connections; connections in use close when their query ends. */
  close(): void {
    this.closed = true;
    clearTimeout(this.sweepTimer);
    for (const connection of this.idle.splice(0)) connection.socket.destroy();
  }

  private label(): string {
    const { host, port, tls } = this.options;
    const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    return `${tls === undefined ? 'tcp' : 'tcp-tls'} ${address}`;
  }

  private async exchangeOn(
    connection: PooledConnection,
    query: Uint8Array,
    expect: Expectation,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<DnsMessage> {
    const waiter = new Waiter<DnsMessage>(Math.max(0, timeoutMs), `read ${this.label()}`, signal);
    connection.waiting = { waiter, expect };
    connection.socket.write(frameMessage(query));
    try {
      return await waiter.promise;
    } catch (error) {
      connection.socket.destroy(); // a connection in an unknown state is not given back
      throw error;
    } finally {
      connection.waiting = undefined;
      this.release(connection);
    }
  }

  private idleConnection(): PooledConnection | undefined {
    const now = performance.now();
    while (this.idle.length > 0) {
      const connection = this.idle.shift() as PooledConnection;
      if (connection.closed || now - connection.usedAt > this.options.expireMs) {
        connection.socket.destroy();
        continue;
      }
      this.options.onDial?.(true);
      return connection;
    }
    return undefined;
  }

  private open(timeoutMs: number, signal: AbortSignal | undefined): Promise<PooledConnection> {
    const { host, port, tls } = this.options;
    this.options.onDial?.(false);
    const socket =
      tls === undefined ? netConnect({ host, port, noDelay: true }) : tlsConnect({ ...tls, host, port });
    const connection: PooledConnection = {
      socket,
      usedAt: performance.now(),
      closed: false,
      waiting: undefined,
    };
    this.watch(connection);
    const ready = tls === undefined ? 'connect' : 'secureConnect';
    const waiter = new Waiter<void>(Math.max(0, timeoutMs), `dial ${this.label()}`, signal);
    const onError = (error: Error) =>
      waiter.fail(new UpstreamError(`dial ${this.label()}: ${error.message}`, 'network'));
    socket.once('error', onError);
    socket.once(ready, () => waiter.resolve());
    return waiter.promise.then(
      () => {
        socket.off('error', onError);
        return connection;
      },
      (error: unknown) => {
        socket.destroy();
        throw error;
      },
    );
  }

  private watch(connection: PooledConnection): void {
    const { socket } = connection;
    const reader = createFrameReader((frame) => {
      const waiting = connection.waiting;
      if (waiting === undefined) return;
      const reply = acceptReply(frame, waiting.expect);
      if (reply !== undefined) waiting.waiter.resolve(reply);
    });
    socket.on('data', (chunk: Buffer) => reader.push(new Uint8Array(chunk)));
    socket.on('error', () => {}); // reported through 'close'
    socket.on('close', () => {
      connection.closed = true;
      connection.waiting?.waiter.fail(new UpstreamError(`read ${this.label()}: connection closed`, 'closed'));
    });
    socket.unref();
  }

  private release(connection: PooledConnection): void {
    connection.usedAt = performance.now();
    if (this.closed || connection.closed || this.idle.length >= MAX_IDLE) {
      connection.socket.destroy();
      return;
    }
    this.idle.push(connection);
    this.scheduleSweep();
  }

  private scheduleSweep(): void {
    if (this.sweepTimer !== undefined) return;
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = undefined;
      const now = performance.now();
      const keep = this.idle.filter((c) => !c.closed && now - c.usedAt <= this.options.expireMs);
      for (const connection of this.idle) if (!keep.includes(connection)) connection.socket.destroy();
      this.idle = keep;
      if (keep.length > 0) this.scheduleSweep();
    }, this.options.expireMs + 1);
    this.sweepTimer.unref();
  }
}
