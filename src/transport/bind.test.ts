import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { type BindRequest, type BindSettings, closePairs, openListeners } from './bind.js';
import type { PacketHandler } from './packet-handler.js';

const ignore: PacketHandler = (_bytes, _peer, _local, sink) => sink.drop('short');

function settings(warnings: string[] = []): BindSettings {
  return {
    transports: ['udp', 'tcp'],
    tcp: { idleTimeoutMs: 1000, maxConnections: 10, maxPipelined: 10 },
    report: () => {},
    warn: (message) => warnings.push(message),
  };
}

function request(address: string, port = 0, optional = false): BindRequest {
  return { address, port, optional, handler: ignore };
}

/** True when a UDP socket can bind the port again (the listener released it). */
function udpPortFree(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

describe('openListeners', () => {
  it('gives every address the same picked port, for UDP and TCP', async () => {
    const pairs = await openListeners([request('127.0.0.1'), request('::1')], settings());
    try {
      const addresses = pairs.flatMap((p) => p.addresses);
      assert.equal(addresses.length, 4);
      const ports = new Set(addresses.map((a) => a.port));
      assert.equal(ports.size, 1);
      assert.ok([...ports][0] !== 0);
    } finally {
      await closePairs(pairs);
    }
  });

  it('skips an unavailable optional address with a warning, but fails on a required one', async () => {
    const warnings: string[] = [];
    const pairs = await openListeners(
      [request('127.0.0.1'), request('192.0.2.55', 0, true)],
      settings(warnings),
    );
    assert.equal(pairs.length, 1);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /192\.0\.2\.55/);
    await closePairs(pairs);
    await assert.rejects(openListeners([request('192.0.2.55')], settings()), { code: 'EADDRNOTAVAIL' });
  });

  it('undoes a half-finished bind: UDP is released when TCP cannot bind', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      await assert.rejects(openListeners([request('127.0.0.1', port)], settings()), { code: 'EADDRINUSE' });
      assert.equal(await udpPortFree(port), true);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
