import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { after, before, describe, it } from 'node:test';
import type { DnsServer, Middleware, Plugin, ServerOptions } from '../src/core/index.js';
import { createServer } from '../src/core/index.js';
import { silentLogger } from '../src/core/logger.js';
import { decodeMessage, encodeMessage, makeQuery } from '../src/wire/index.js';
import type { ResourceRecord } from '../src/wire/types.js';
import { dig } from './helpers/dig.js';
import { TcpClient, udpQuery } from './helpers/sockets.js';

/** Answers A 192.0.2.1; `big.` names get 60 A records (too many for 512 bytes); ANY gets HINFO. */
const answer: Middleware = (ctx) => {
  if (ctx.question.type === 'ANY') {
    return ctx.reply({
      answers: [{ name: ctx.rawName, type: 'HINFO', class: 'IN', ttl: 8, data: { cpu: 'RFC8482', os: '' } }],
    });
  }
  const count = ctx.question.name.startsWith('big.') ? 60 : 1;
  const answers: ResourceRecord[] = [];
  for (let i = 0; i < count; i++) {
    answers.push({ name: ctx.rawName, type: 'A', class: 'IN', ttl: 30, data: `192.0.2.${i + 1}` });
  }
  ctx.reply({ answers, recursionAvailable: ctx.request.flags.rd });
};

/** Holds `slow.` queries for 150 ms before passing them on. */
const delaySlow: Middleware = async (ctx, next) => {
  if (ctx.question.name.startsWith('slow.')) await new Promise((resolve) => setTimeout(resolve, 150));
  return next();
};

function plugins(...handlers: Middleware[]): Plugin[] {
  return handlers.map((handle, i) => ({ name: `test${i}`, handle }));
}

async function start(options: Partial<ServerOptions> = {}): Promise<{ server: DnsServer; port: number }> {
  const server = createServer({
    port: 0,
    listen: ['127.0.0.1'],
    logger: silentLogger,
    plugins: plugins(delaySlow, answer),
    ...options,
  });
  await server.listen();
  return { server, port: server.addresses()[0]?.port ?? 0 };
}

describe('listening', () => {
  it('binds UDP and TCP on the same picked port and reports the real addresses', async () => {
    const { server, port } = await start({ listen: ['127.0.0.1', '::1'] });
    try {
      assert.ok(port > 0);
      const addresses = server.addresses().map((a) => `${a.transport} ${a.address} ${a.port}`);
      assert.deepEqual(addresses.sort(), [
        `tcp 127.0.0.1 ${port}`,
        `tcp ::1 ${port}`,
        `udp 127.0.0.1 ${port}`,
        `udp ::1 ${port}`,
      ]);
    } finally {
      await server.close();
    }
  });

  it('emits listening per address, and listens on 0.0.0.0 and :: by default', async () => {
    const server = createServer({ port: 0, logger: silentLogger, plugins: plugins(answer) });
    const seen: string[] = [];
    server.on('listening', (a) => seen.push(`${a.transport} ${a.address}`));
    await server.listen();
    try {
      assert.deepEqual(seen.sort(), ['tcp 0.0.0.0', 'tcp ::', 'udp 0.0.0.0', 'udp ::']);
      const port = server.addresses()[0]?.port ?? 0;
      const viaV6 = await udpQuery(port, encodeMessage(makeQuery('v6.example.')), { address: '::1' });
      assert.equal(viaV6 === undefined ? undefined : decodeMessage(viaV6).answers.length, 1);
    } finally {
      await server.close();
    }
  });

  it('opens only the transports asked for', async () => {
    const { server } = await start({ transports: ['tcp'] });
    try {
      assert.deepEqual(
        server.addresses().map((a) => a.transport),
        ['tcp'],
      );
    } finally {
      await server.close();
    }
  });
});

describe('dig against a live server', () => {
  let server: DnsServer;
  let port: number;
  before(async () => {
    ({ server, port } = await start({ listen: ['127.0.0.1', '::1'] }));
  });
  after(() => server.close());

  it('answers over UDP (+notcp) and TCP (+tcp)', async () => {
    const udp = await dig('127.0.0.1', port, ['+notcp', 'Www.Example.org', 'A']);
    assert.equal(udp.status, 'NOERROR');
    assert.equal(udp.transport, 'UDP');
    assert.deepEqual(udp.answers, ['Www.Example.org. 30 IN A 192.0.2.1']);
    const tcp = await dig('127.0.0.1', port, ['+tcp', 'www.example.org', 'A']);
    assert.equal(tcp.transport, 'TCP');
    assert.deepEqual(tcp.answers, ['www.example.org. 30 IN A 192.0.2.1']);
  });

  it('answers on ::1', async () => {
    const result = await dig('::1', port, ['v6.example', 'A']);
    assert.equal(result.status, 'NOERROR');
    assert.equal(result.answers.length, 1);
  });

  it('truncates at the advertised +bufsize, and dig retries over TCP for the whole answer', async () => {
    const truncated = await dig('127.0.0.1', port, ['+bufsize=512', '+ignore', 'big.example', 'A']);
    assert.ok(truncated.flags.includes('tc'), `flags: ${truncated.flags.join(' ')}`);
    assert.ok(truncated.answers.length < 60);
    const retried = await dig('127.0.0.1', port, ['+bufsize=512', 'big.example', 'A']);
    assert.equal(retried.answers.length, 60);
    assert.equal(retried.transport, 'TCP');
    const large = await dig('127.0.0.1', port, ['+bufsize=4096', '+ignore', 'big.example', 'A']);
    assert.equal(large.answers.length, 60);
    assert.ok(!large.flags.includes('tc'));
  });

  it('copies RD: +norec gets a response without rd', async () => {
    const norec = await dig('127.0.0.1', port, ['+norec', 'a.example', 'A']);
    assert.ok(!norec.flags.includes('rd'));
    assert.ok(norec.flags.includes('qr'));
    const rec = await dig('127.0.0.1', port, ['a.example', 'A']);
    assert.ok(rec.flags.includes('rd'));
  });

  it('passes ANY queries to the chain', async () => {
    const any = await dig('127.0.0.1', port, ['a.example', 'ANY']);
    assert.equal(any.status, 'NOERROR');
    assert.deepEqual(any.answers, ['a.example. 8 IN HINFO "RFC8482" ""']);
  });
});

describe("Node's resolver against a live server", () => {
  it('resolves A records and reports REFUSED outside the zones', async () => {
    const { server, port } = await start({ zones: ['example.org.'] });
    try {
      const resolver = new Resolver({ timeout: 2000, tries: 1 });
      resolver.setServers([`127.0.0.1:${port}`]);
      assert.deepEqual(await resolver.resolve4('www.example.org'), ['192.0.2.1']);
      await assert.rejects(resolver.resolve4('www.example.com'), (error: NodeJS.ErrnoException) => {
        assert.equal(error.code, 'EREFUSED');
        return true;
      });
    } finally {
      await server.close();
    }
  });
});

describe('TCP (RFC 7766)', () => {
  it('answers pipelined queries as each finishes, out of order', async () => {
    const { server, port } = await start();
    const client = await TcpClient.connect(port);
    try {
      client.sendFramed([
        encodeMessage(makeQuery('slow.example.', 'A', { id: 1 })),
        encodeMessage(makeQuery('fast1.example.', 'A', { id: 2 })),
        encodeMessage(makeQuery('fast2.example.', 'A', { id: 3 })),
      ]);
      const frames = await client.waitFrames(3);
      assert.deepEqual(
        frames.map((f) => decodeMessage(f).id),
        [2, 3, 1],
      );
    } finally {
      client.destroy();
      await server.close();
    }
  });

  it('pauses a connection at maxPipelined, answering in arrival order when it is 1', async () => {
    const { server, port } = await start({ tcp: { maxPipelined: 1 } });
    const client = await TcpClient.connect(port);
    try {
      client.sendFramed([
        encodeMessage(makeQuery('slow.example.', 'A', { id: 1 })),
        encodeMessage(makeQuery('fast.example.', 'A', { id: 2 })),
      ]);
      const frames = await client.waitFrames(2);
      assert.deepEqual(
        frames.map((f) => decodeMessage(f).id),
        [1, 2],
      );
    } finally {
      client.destroy();
      await server.close();
    }
  });

  it('closes idle connections after idleTimeoutMs, not while a query is pending', async () => {
    const { server, port } = await start({ tcp: { idleTimeoutMs: 100 } });
    const idle = await TcpClient.connect(port);
    const busy = await TcpClient.connect(port);
    try {
      busy.sendFramed([encodeMessage(makeQuery('slow.example.', 'A', { id: 9 }))]);
      assert.equal(await idle.closedWithin(2000), true);
      const [frame] = await busy.waitFrames(1);
      assert.equal(decodeMessage(frame as Uint8Array).id, 9);
      assert.equal(await busy.closedWithin(2000), true);
    } finally {
      idle.destroy();
      busy.destroy();
      await server.close();
    }
  });

  it('closes connections over maxConnections at once', async () => {
    const { server, port } = await start({ tcp: { maxConnections: 2 } });
    const first = await TcpClient.connect(port);
    const second = await TcpClient.connect(port);
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the server accept both
    const third = await TcpClient.connect(port);
    try {
      assert.equal(await third.closedWithin(1000), true);
      first.sendFramed([encodeMessage(makeQuery('a.example.', 'A', { id: 5 }))]);
      const [frame] = await first.waitFrames(1);
      assert.equal(decodeMessage(frame as Uint8Array).id, 5);
      assert.equal(await second.closedWithin(50), false);
    } finally {
      for (const c of [first, second, third]) c.destroy();
      await server.close();
    }
  });
});
