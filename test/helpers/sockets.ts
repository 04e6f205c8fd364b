import { createSocket } from 'node:dgram';
import { connect, isIPv6, type Socket } from 'node:net';
import { createFrameReader, frameMessage } from '../../src/wire/index.js';

/**
 * Sends datagrams from one socket and collects every reply for `waitMs` after the last send.
 * Replies are returned in arrival order.
 */
export async function udpBurst(
  port: number,
  packets: readonly Uint8Array[],
  options: { address?: string; waitMs?: number } = {},
): Promise<Uint8Array[]> {
  const address = options.address ?? '127.0.0.1';
  const socket = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
  const replies: Uint8Array[] = [];
  socket.on('message', (message) => replies.push(new Uint8Array(message)));
  await new Promise<void>((resolve) => socket.bind(0, isIPv6(address) ? '::1' : '127.0.0.1', resolve));
  for (const packet of packets) socket.send(packet, port, address);
  await new Promise((resolve) => setTimeout(resolve, options.waitMs ?? 200));
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return replies;
}

/** One query over UDP; resolves with the first reply, or undefined after `timeoutMs`. */
export async function udpQuery(
  port: number,
  packet: Uint8Array,
  options: { address?: string; timeoutMs?: number } = {},
): Promise<Uint8Array | undefined> {
  const address = options.address ?? '127.0.0.1';
  const socket = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
  try {
    return await new Promise<Uint8Array | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), options.timeoutMs ?? 2000);
      socket.once('message', (message) => {
        clearTimeout(timer);
        resolve(new Uint8Array(message));
      });
      socket.send(packet, port, address);
    });
  } finally {
    socket.close();
  }
}

/** A raw DNS-over-TCP client: write bytes as they are, read whole frames. */
export class TcpClient {
  readonly frames: Uint8Array[] = [];
  readonly closed: Promise<void>;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    const reader = createFrameReader((frame) => {
      this.frames.push(new Uint8Array(frame));
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('data', (chunk) => reader.push(new Uint8Array(chunk)));
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
  }

  /** Connects to a local server. */
  static connect(port: number, address = '127.0.0.1'): Promise<TcpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: address }, () => resolve(new TcpClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Writes the messages framed, all in one write. */
  sendFramed(messages: readonly Uint8Array[]): void {
    this.socket.write(Buffer.concat(messages.map((m) => frameMessage(m))));
  }

  /** Writes raw bytes (for broken framing). */
  sendRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Waits until `count` frames arrived in all, or rejects after `timeoutMs`. */
  async waitFrames(count: number, timeoutMs = 3000): Promise<Uint8Array[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`got ${this.frames.length} of ${count} frames`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.frames.slice(0, count);
  }

  /** Resolves true if the server closed the connection within `timeoutMs`. */
  async closedWithin(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const result = await Promise.race([this.closed.then(() => true), timeout]);
    clearTimeout(timer);
    return result;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
