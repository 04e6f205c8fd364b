import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { describe, it } from 'node:test';
import { createServer, type DnsServer, type Plugin, silentLogger } from 'dnskit';
import { decodeMessage, encodeMessage, makeQuery } from '../src/wire/index.js';
import { udpQuery } from './helpers/sockets.js';

/** Answers A with `address`, after `delayMs` when given; records its lifecycle in `events`. */
function answering(address: string, events: string[], delayMs = 0): Plugin {
  return {
    name: `answer-${address}`,
    start: () => {
      events.push(`start ${address}`);
    },
    stop: () => {
      events.push(`stop ${address}`);
    },
    async handle(ctx) {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      ctx.reply({ answers: [{ name: ctx.question.name, type: 'A', class: 'IN', ttl: 0, data: address }] });
    },
  };
}

function udpPort(server: DnsServer): number {
  return server.addresses().find((a) => a.transport === 'udp')?.port ?? assert.fail('not listening');
}

async function ask(port: number, id = 1, timeoutMs = 1000): Promise<string | undefined> {
  const reply = await udpQuery(port, encodeMessage(makeQuery('example.org.', 'A', { id })), { timeoutMs });
  return reply === undefined ? undefined : String(decodeMessage(reply).answers[0]?.data);
}

/**
 * Sends queries from one socket, one every millisecond, until stopped; returns how many were sent
 * and the answers in arrival order (unanswered ones are missing).
 */
function hammer(port: number): { stop: () => Promise<{ sent: number; answers: string[] }> } {
  const socket = createSocket('udp4');
  const answers: string[] = [];
  let sent = 0;
  socket.on('message', (message) =>
    answers.push(String(decodeMessage(new Uint8Array(message)).answers[0]?.data)),
  );
  const timer = setInterval(() => {
    socket.send(encodeMessage(makeQuery('example.org.', 'A', { id: sent++ & 0xffff })), port, '127.0.0.1');
  }, 1);
  return {
    stop: async () => {
      clearInterval(timer);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the last answers
      socket.close();
      return { sent, answers };
    },
  };
}

describe('DnsServer.reload', () => {
  it('swaps to the new blocks on the same socket without dropping a query', async () => {
    const events: string[] = [];
    const server = createServer({
      port: 0,
      listen: ['127.0.0.1'],
      plugins: [answering('192.0.2.1', events, 2)],
      logger: silentLogger,
    });
    await server.listen();
    const port = udpPort(server);
    try {
      const load = hammer(port);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await server.reload({ port: 0, listen: ['127.0.0.1'], plugins: [answering('192.0.2.2', events)] });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { sent, answers } = await load.stop();
      assert.ok(sent > 20, `only ${sent} queries sent`);
      assert.equal(answers.length, sent, 'a query went unanswered during the reload');
      const firstNew = answers.indexOf('192.0.2.2');
      assert.ok(firstNew > 0, 'the old configuration never answered or the new never did');
      assert.deepEqual(new Set(answers.slice(0, firstNew)), new Set(['192.0.2.1']));
      assert.equal(udpPort(server), port, 'the listener was not kept');
      // New plugins start before the old ones stop (after their in-flight queries).
      assert.deepEqual(events, ['start 192.0.2.1', 'start 192.0.2.2', 'stop 192.0.2.1']);
      assert.equal(await ask(port), '192.0.2.2');
    } finally {
      await server.close();
    }
    assert.deepEqual(events.at(-1), 'stop 192.0.2.2');
  });

  it('lets a query in flight on the old chain finish there', async () => {
    const events: string[] = [];
    const server = createServer({
      port: 0,
      listen: ['127.0.0.1'],
      plugins: [answering('192.0.2.1', events, 200)],
      logger: silentLogger,
    });
    await server.listen();
    try {
      const port = udpPort(server);
      const slow = ask(port, 7);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const reloaded = server.reload({
        port: 0,
        listen: ['127.0.0.1'],
        plugins: [answering('192.0.2.2', events)],
      });
      assert.equal(await ask(port, 8), '192.0.2.2');
      assert.equal(await slow, '192.0.2.1');
      await reloaded;
      assert.deepEqual(events, ['start 192.0.2.1', 'start 192.0.2.2', 'stop 192.0.2.1']);
    } finally {
      await server.close();
    }
  });

  it('keeps the old configuration when the new plugins fail to start', async () => {
    const events: string[] = [];
    const server = createServer({
      port: 0,
      listen: ['127.0.0.1'],
      plugins: [answering('192.0.2.1', events)],
      logger: silentLogger,
    });
    await server.listen();
    try {
      const broken: Plugin = {
        name: 'broken',
        handle: (_ctx, next) => next(),
        start: () => {
          throw new Error('cannot start');
        },
      };
      await assert.rejects(
        server.reload({ port: 0, listen: ['127.0.0.1'], plugins: [answering('192.0.2.2', events), broken] }),
        /cannot start/,
      );
      assert.equal(await ask(udpPort(server)), '192.0.2.1');
      assert.deepEqual(events, ['start 192.0.2.1', 'start 192.0.2.2', 'stop 192.0.2.2']);
    } finally {
      await server.close();
    }
  });

  it('opens listeners for a new port and closes the ones no longer configured', async () => {
    const events: string[] = [];
    const first = createServer({ port: 0, listen: ['127.0.0.1'], plugins: [], logger: silentLogger });
    await first.listen();
    const newPort = udpPort(first);
    await first.close(); // a port that was free a moment ago
    const server = createServer({
      port: 0,
      listen: ['127.0.0.1'],
      plugins: [answering('192.0.2.1', events)],
      logger: silentLogger,
    });
    await server.listen();
    const oldPort = udpPort(server);
    const seen: number[] = [];
    server.on('listening', (address) => seen.push(address.port));
    try {
      await server.reload({
        port: newPort,
        listen: ['127.0.0.1'],
        plugins: [answering('192.0.2.2', events)],
      });
      assert.deepEqual(seen, [newPort, newPort]);
      assert.deepEqual(
        server.addresses().map((a) => a.port),
        [newPort, newPort],
      );
      assert.equal(await ask(newPort), '192.0.2.2');
      assert.equal(await ask(oldPort, 2, 200), undefined);
    } finally {
      await server.close();
    }
  });
});
