import { createSocket, type Socket } from 'node:dgram';
import type { DnsMessage } from '../../wire/types.js';
import { acceptReply, type Expectation } from './reply.js';
import { UpstreamError, Waiter } from './waiter.js';

/** A connected UDP socket used by one query at a time. */
interface PooledSocket {
  readonly socket: Socket;
  readonly createdAt: number;
  usedAt: number;
  uses: number;
  broken: boolean;
  /** The query waiting on this socket, with what its reply must echo. */
  waiting: { waiter: Waiter<DnsMessage>; expect: Expectation } | undefined;
}

/** Settings of a {@link UdpPool}. */
export interface UdpPoolOptions {
  readonly host: string;
  readonly port: number;
  /** Idle sockets older than this are closed, and no socket lives longer (its port rotates). */
  readonly expireMs: number;
  /** Called with true when an idle socket was reused, false when a new one was opened. */
  readonly onDial?: (cached: boolean) => void;
}

/** Most queries one socket carries before it is replaced by one on a fresh random port. */
const MAX_USES = 100;
/** Idle sockets kept per upstream; more are closed when released. */
const MAX_IDLE = 128;

/**
 * UDP sockets to one upstream. Each query takes a socket of its own (a new one, bound by the OS
 * to a random source port, or an idle one), so a reply is matched by socket, ID and question.
 * Sockets are connected: the kernel drops datagrams from any other address or port, and an ICMP
 * port unreachable fails the query at once instead of after the read timeout.
 */
export class UdpPool {
  private idle: PooledSocket[] = [];
  private closed = false;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: UdpPoolOptions) {}

  /** Sends the query and resolves with the first acceptable reply; rejects on timeout or error. */
  async exchange(
    query: Uint8Array,
    expect: Expectation,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<DnsMessage> {
    const pooled = this.idleSocket() ?? (await this.open());
    const waiter = new Waiter<DnsMessage>(timeoutMs, `read udp ${this.label()}`, signal);
    pooled.waiting = { waiter, expect };
    pooled.uses++;
    pooled.socket.send(query, (error) => {
      if (error) this.breakSocket(pooled, error);
    });
    try {
      return await waiter.promise;
    } finally {
      pooled.waiting = undefined;
      this.release(pooled);
    }
  }

  /** Closes every idle socket; sockets in use close when their query ends. */
  close(): void {
    this.closed = true;
    clearTimeout(this.sweepTimer);
    for (const pooled of this.idle.splice(0)) closeQuietly(pooled.socket);
  }

  /** Closes idle sockets that expired, so that a quiet upstream holds no file descriptors. */
  private scheduleSweep(): void {
    if (this.sweepTimer !== undefined) return;
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = undefined;
      const now = performance.now();
      const keep = this.idle.filter((pooled) => this.reusable(pooled, now));
      for (const pooled of this.idle) if (!keep.includes(pooled)) closeQuietly(pooled.socket);
      this.idle = keep;
      if (keep.length > 0) this.scheduleSweep();
    }, this.options.expireMs + 1);
    this.sweepTimer.unref();
  }

  private label(): string {
    const { host, port } = this.options;
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  }

  private idleSocket(): PooledSocket | undefined {
    const now = performance.now();
    // FIFO, as CoreDNS takes the oldest connection first: spreads queries over source ports.
    while (this.idle.length > 0) {
      const pooled = this.idle.shift() as PooledSocket;
      if (!this.reusable(pooled, now)) {
        closeQuietly(pooled.socket);
        continue;
      }
      this.options.onDial?.(true);
      return pooled;
    }
    return undefined;
  }

  private reusable(pooled: PooledSocket, now: number): boolean {
    const { expireMs } = this.options;
    return (
      !pooled.broken &&
      pooled.uses < MAX_USES &&
      now - pooled.usedAt <= expireMs &&
      now - pooled.createdAt <= expireMs
    );
  }

  private open(): Promise<PooledSocket> {
    const { host, port } = this.options;
    this.options.onDial?.(false);
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const now = performance.now();
    const pooled: PooledSocket = {
      socket,
      createdAt: now,
      usedAt: now,
      uses: 0,
      broken: false,
      waiting: undefined,
    };
    socket.on('message', (message, remote) => {
      const waiting = pooled.waiting;
      // The socket is connected, so the kernel already filtered the source; check anyway.
      if (waiting === undefined || remote.port !== port || remote.address !== host) return;
      const reply = acceptReply(message, waiting.expect);
      if (reply !== undefined) waiting.waiter.resolve(reply);
    });
    socket.on('error', (error) => this.breakSocket(pooled, error));
    socket.unref();
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => {
        closeQuietly(socket);
        reject(new UpstreamError(`dial udp ${this.label()}: ${error.message}`, 'network'));
      };
      socket.once('error', failed);
      socket.connect(port, host, () => {
        socket.off('error', failed);
        resolve(pooled);
      });
    });
  }

  private breakSocket(pooled: PooledSocket, error: Error): void {
    pooled.broken = true;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    pooled.waiting?.waiter.fail(new UpstreamError(`read udp ${this.label()}: ${code}`, 'network'));
  }

  private release(pooled: PooledSocket): void {
    pooled.usedAt = performance.now();
    if (this.closed || !this.reusable(pooled, pooled.usedAt) || this.idle.length >= MAX_IDLE) {
      closeQuietly(pooled.socket);
      return;
    }
    this.idle.push(pooled);
    this.scheduleSweep();
  }
}

function closeQuietly(socket: Socket): void {
  try {
    socket.close();
  } catch {
    // already closed
  }
}
