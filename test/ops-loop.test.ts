import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createServer, type DnsServer, type Plugin, silentLogger } from 'dnskit';
import { type LoopDetected, loop } from '../src/plugins/index.js';
import { decodeMessage, encodeMessage, makeQuery } from '../src/wire/index.js';
import { udpQuery } from './helpers/sockets.js';

/** A tiny stand-in for `forward`: relays every query over UDP to one upstream and returns its answer. */
function forwardTo(upstream: () => number): Plugin {
  return {
    name: 'forward',
    async handle(ctx) {
      const reply = await udpQuery(upstream(), encodeMessage(ctx.request), { timeoutMs: 1000 });
      if (reply === undefined) ctx.fail('SERVFAIL', 'upstream timed out');
      else ctx.response = decodeMessage(reply);
    },
  };
}

function udpPort(server: DnsServer): number {
  return server.addresses().find((a) => a.transport === 'udp')?.port ?? assert.fail('not listening');
}

function waitFor<T>(what: string, ms: number, register: (resolve: (value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

describe('loop', () => {
  it('detects a server that forwards to itself and calls the handler with CoreDNS’s message', async () => {
    let server: DnsServer | undefined;
    let onLoop: (loop: LoopDetected) => void = () => undefined;
    const detected = waitFor<LoopDetected>('loop report', 5000, (resolve) => {
      onLoop = resolve;
    });
    server = createServer({
      port: 0,
      listen: ['127.0.0.1'],
      plugins: [loop({ onLoop: (found) => onLoop(found) }), forwardTo(() => udpPort(server as DnsServer))],
      logger: silentLogger,
    });
    await server.listen();
    try {
      const found = await detected;
      const port = udpPort(server);
      assert.match(
        found.message,
        new RegExp(
          `^Loop \\(127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:${port}\\) detected for zone "\\.", see https://coredns\\.io/plugins/loop#troubleshooting\\. Query: "HINFO \\d+\\.\\d+\\."$`,
        ),
      );
      assert.equal(found.zone, '.');
      assert.equal(found.to, `127.0.0.1:${port}`);
    } finally {
      await server.close();
    }
  });

  it('reports nothing when the probe is answered without a loop', async () => {
    const reports: LoopDetected[] = [];
    let probed: (name: string) => void = () => undefined;
    const seen = waitFor<string>('probe', 5000, (resolve) => {
      probed = resolve;
    });
    const answer: Plugin = {
      name: 'answer',
      handle(ctx) {
        ctx.reply({ rcode: 'NXDOMAIN' });
        if (ctx.question.type === 'HINFO') ctx.onSent(() => probed(ctx.question.name));
      },
    };
    const server = createServer({
      port: 0,
      listen: ['127.0.0.1'],
      plugins: [loop({ onLoop: (found) => reports.push(found) }), answer],
      logger: silentLogger,
    });
    await server.listen();
    try {
      const name = await seen;
      assert.match(name, /^\d+\.\d+\.$/);
      // Once its probe is answered (on loopback, well within 100 ms) the plugin stands aside:
      // the same name again is no loop.
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (let id = 1; id <= 3; id++) {
        const reply = await udpQuery(udpPort(server), encodeMessage(makeQuery(name, 'HINFO', { id })));
        assert.equal(reply === undefined ? undefined : decodeMessage(reply).rcode, 'NXDOMAIN');
      }
      assert.deepEqual(reports, []);
    } finally {
      await server.close();
    }
  });
});
