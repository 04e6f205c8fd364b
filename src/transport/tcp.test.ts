import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import type { ResponseSink } from '../core/sink.js';
import { createFrameReader } from '../wire/index.js';
import type { PacketHandler } from './packet-handler.js';
import { TcpListener } from './tcp.js';

const limits = { idleTimeoutMs: 2000, maxConnections: 10, maxPipelined: 2 };
const report = () => {};

/** A 12-byte "query" whose first byte tells frames apart. */
function frame(tag: number): Buffer {
  const body = Buffer.alloc(12, 0);
  body[0] = tag;
  return Buffer.concat([Buffer.from([0, 12]), body]);
}

async function withListener(
  handler: PacketHandler,
  body: (port: number, listener: TcpListener) => Promise<void>,
) {
  const listener = await TcpListener.open('127.0.0.1', 0, handler, limits, report);
  try {
    await body(listener.local.port, listener);
  } finally {
    await listener.close();
  }
}

function client(port: number): Promise<{ socket: Socket; tags: number[]; closed: Promise<void> }> {
  return new Promise((resolve) => {
    const tags: number[] = [];
    const socket = connect(port, '127.0.0.1', () => resolve({ socket, tags, closed }));
    const reader = createFrameReader((f) => tags.push(f[0] as number));
    socket.on('data', (chunk) => reader.push(new Uint8Array(chunk)));
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
  });
}

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('TcpListener', () => {
  it('reassembles frames split byte by byte and answers each', async () => {
    const echo: PacketHandler = (bytes, peer, _local, sink) => sink.send(bytes, peer);
    await withListener(echo, async (port) => {
      const c = await client(port);
      const bytes = Buffer.concat([frame(1), frame(2)]);
      for (const byte of bytes) {
        c.socket.write(Buffer.from([byte]));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await until(() => c.tags.length === 2);
      assert.deepEqual(c.tags, [1, 2]);
      c.socket.destroy();
    });
  });

  it('holds frames beyond maxPipelined until answers go out', async () => {
    const held: [Uint8Array, ResponseSink][] = [];
    const hold: PacketHandler = (bytes, _peer, _local, sink) => {
      held.push([bytes, sink]);
    };
    await withListener(hold, async (port) => {
      const c = await client(port);
      c.socket.write(Buffer.concat([frame(1), frame(2), frame(3), frame(4)]));
      await until(() => held.length === 2);
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.equal(held.length, 2, 'no more than maxPipelined in flight');
      const peer = { address: '', port: 0, transport: 'tcp', family: 'IPv4' } as const;
      const [second, secondSink] = held[1] as [Uint8Array, ResponseSink];
      secondSink.send(second, peer); // answers out of order
      await until(() => held.length === 3);
      for (const [bytes, sink] of held.slice(2).concat([held[0] as [Uint8Array, ResponseSink]]))
        sink.send(bytes, peer);
      await until(() => held.length === 4);
      const [last, lastSink] = held[3] as [Uint8Array, ResponseSink];
      lastSink.send(last, peer);
      await until(() => c.tags.length === 4);
      assert.deepEqual(c.tags, [2, 3, 1, 4]);
      c.socket.destroy();
    });
  });

  it('closes the connection when a frame is dropped as unreadable, and tracks connections', async () => {
    const reject: PacketHandler = (_bytes, _peer, _local, sink) => sink.drop('short');
    await withListener(reject, async (port, listener) => {
      const c = await client(port);
      await until(() => listener.connectionCount === 1);
      c.socket.write(frame(1));
      await c.closed;
      await until(() => listener.connectionCount === 0);
    });
  });
});
