import type { Socket } from 'node:net';
import type { LocalAddress } from '../core/context.js';
import type { DropReason, ResponseSink } from '../core/sink.js';
import type { Peer } from '../core/types.js';
import { createFrameReader, type FrameReader, frameMessage } from '../wire/index.js';
import { type ErrorReporter, familyOf, type PacketHandler } from './packet-handler.js';

/** Limits applied to every TCP connection. */
export interface ConnectionLimits {
  readonly idleTimeoutMs: number;
  readonly maxPipelined: number;
}

/**
 * One DNS-over-TCP connection (RFC 7766): 2-byte length framing, pipelined queries answered as
 * each finishes (6.2.1.1 allows any order), reading paused while too many are in flight.
 */
export class TcpConnection implements ResponseSink {
  private inFlight = 0;
  private readonly backlog: Uint8Array[] = [];
  private readonly peer: Peer;
  private closed = false;
  private draining = false;
  private readonly reader: FrameReader;

  constructor(
    private readonly socket: Socket,
    private readonly local: LocalAddress,
    private readonly handler: PacketHandler,
    private readonly limits: ConnectionLimits,
    private readonly report: ErrorReporter,
    private readonly onClose: (connection: TcpConnection) => void,
  ) {
    this.peer = {
      address: socket.remoteAddress ?? '',
      port: socket.remotePort ?? 0,
      transport: 'tcp',
      family: familyOf(socket.remoteFamily ?? 'IPv4'),
    };
    this.reader = createFrameReader((frame) => this.receive(frame));
    socket.setNoDelay(true);
    // Not setTimeout(ms, callback): that listens once, and a connection may idle many times.
    socket.setTimeout(limits.idleTimeoutMs);
    socket.on('timeout', () => this.idle());
    socket.on('data', (chunk) => this.data(chunk));
    socket.on('error', () => this.destroy()); // resets and broken pipes are the client's business
    socket.on('close', () => this.destroy());
  }

  /** Queries received and not yet answered. */
  get pending(): number {
    return this.inFlight + this.backlog.length;
  }

  send(response: Uint8Array): void {
    this.inFlight--;
    if (!this.closed) this.socket.write(frameMessage(response));
    this.drainBacklog();
  }

  /** A streamed answer (AXFR): every message framed and written in one go, so none interleave. */
  sendAll(responses: readonly Uint8Array[]): void {
    this.inFlight--;
    if (!this.closed) {
      const frames = responses.map((response) => frameMessage(response));
      this.socket.write(frames.length === 1 ? (frames[0] as Uint8Array) : Buffer.concat(frames));
    }
    this.drainBacklog();
  }

  drop(reason: DropReason): void {
    this.inFlight--;
    // A frame without even a header means we lost the framing: nothing after it can be trusted.
    if (reason === 'response') this.drainBacklog();
    else this.destroy();
  }

  /** Closes once the answers already written reach the kernel (or after a second, if they cannot). */
  closeGracefully(): void {
    if (this.closed) return;
    if (this.socket.writableLength === 0) {
      this.destroy();
      return;
    }
    this.socket.end(() => this.destroy());
    setTimeout(() => this.destroy(), 1000).unref();
  }

  /** Closes the connection now. */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.backlog.length = 0;
    this.socket.destroy();
    this.onClose(this);
  }

  private data(chunk: Buffer): void {
    try {
      this.reader.push(chunk);
    } catch (error) {
      this.report(error);
      this.destroy();
    }
  }

  private receive(frame: Uint8Array): void {
    if (this.closed) return;
    if (this.inFlight >= this.limits.maxPipelined) {
      // RFC 7766 6.2.1.1: a server may limit pipelining; stop reading until answers go out.
      this.backlog.push(frame);
      this.socket.pause();
      return;
    }
    this.inFlight++;
    this.handler(frame, this.peer, this.local, this);
  }

  private drainBacklog(): void {
    // Answers given synchronously re-enter here; the outer loop carries on instead of recursing.
    if (this.draining) return;
    this.draining = true;
    while (!this.closed && this.backlog.length > 0 && this.inFlight < this.limits.maxPipelined) {
      this.receive(this.backlog.shift() as Uint8Array);
    }
    this.draining = false;
    if (!this.closed && this.backlog.length === 0 && this.socket.isPaused()) this.socket.resume();
  }

  private idle(): void {
    // RFC 7766 6.2.3: close idle connections, but never with answers still owed.
    if (this.pending === 0) this.destroy();
  }
}
