import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { createServer } from '../src/core/server.js';
import { makeQuery } from '../src/plugin-kit/test-helpers.js';
import { forward } from '../src/plugins/forward/index.js';
import { decodeMessage, encodeMessage } from '../src/wire/index.js';
import type { DnsMessage } from '../src/wire/types.js';
import { aRecord, replyTo } from './forward-helpers.js';

/** What a hostile upstream sends back for one query, in order, before (maybe) the real reply. */
type Script = (query: DnsMessage, send: (message: DnsMessage, via?: Socket) => void) => void;

/** A raw UDP upstream following a script; it records the source port of every query. */
async function scriptedUpstream(
  script: Script,
): Promise<{ address: string; ports: number[]; close(): void }> {
  const main = createSocket('udp4');
  await new Promise<void>((r) => main.bind(0, '127.0.0.1', () => r()));
  const ports: number[] = [];
  main.on('message', (bytes, from) => {
    ports.push(from.port);
    const query = decodeMessage(new Uint8Array(bytes));
    script(query, (message, via = main) => via.send(encodeMessage(message), from.port, from.address));
  });
  return {
    address: `127.0.0.1:${main.address().port}`,
    ports,
    close: () => main.close(),
  };
}

describe('forward: spoofed replies', () => {
  let upstream: Awaited<ReturnType<typeof scriptedUpstream>>;
  let spoofSocket: Socket;
  before(async () => {
    spoofSocket = createSocket('udp4');
    await new Promise<void>((r) => spoofSocket.bind(0, '127.0.0.1', () => r()));
    upstream = await scriptedUpstream((query, send) => {
      const real = replyTo(query, [aRecord(query, '192.0.2.1')]);
      const evil = (init: Partial<DnsMessage>) => replyTo(query, [aRecord(query, '6.6.6.6')], init);
      send(evil({ id: (query.id + 1) & 0xffff })); // wrong ID
      send(evil({ questions: [{ name: 'other.example.', type: 'A', class: 'IN' }] })); // wrong name
      send(evil({ questions: [{ name: query.questions[0]?.name ?? '.', type: 'AAAA', class: 'IN' }] })); // wrong type
      send(evil({ questions: [{ name: query.questions[0]?.name ?? '.', type: 'A', class: 'CH' }] })); // wrong class
      send(evil({}), spoofSocket); // right ID and question, wrong source port
      send({ ...evil({}), flags: { ...query.flags, qr: false } }); // not a response
      setTimeout(() => send(real), 30);
    });
  });
  after(() => {
    upstream.close();
    spoofSocket.close();
  });

  it('ignores replies with the wrong ID, question or source port and accepts the real one', async () => {
    const server = createServer({ plugins: [forward({ to: [upstream.address] })] });
    for (let i = 0; i < 3; i++) {
      const response = await server.exchange(makeQuery(`Target${i}.Example.`), {
        peer: { transport: 'udp', address: '127.0.0.1', port: 1 },
      });
      assert.equal(response.rcode, 'NOERROR');
      assert.deepEqual(
        response.answers.map((r) => r.data),
        ['192.0.2.1'],
      );
    }
    await server.close();
  });

  it('accepts the question in any letter case (0x20 upstreams), but only that question', async () => {
    const shouting = await scriptedUpstream((query, send) => {
      const name = (query.questions[0]?.name ?? '.').toUpperCase();
      send(replyTo(query, [aRecord(query, '192.0.2.3')], { questions: [{ name, type: 'A', class: 'IN' }] }));
    });
    const server = createServer({ plugins: [forward({ to: [shouting.address] })] });
    const response = await server.exchange(makeQuery('mixed.example.'), {
      peer: { transport: 'udp', address: '127.0.0.1', port: 1 },
    });
    await server.close();
    shouting.close();
    assert.equal(response.answers[0]?.data, '192.0.2.3');
    assert.deepEqual(response.questions, [{ name: 'mixed.example.', type: 'A', class: 'IN' }]);
  });

  it('SERVFAILs when only spoofed replies come, once the time is up', async () => {
    const liar = await scriptedUpstream((query, send) => send(replyTo(query, [], { id: query.id ^ 1 })));
    const server = createServer({
      plugins: [forward({ to: [liar.address], readTimeoutMs: 60, timeoutMs: 150, maxFails: 0 })],
    });
    const response = await server.exchange(makeQuery('never.example.'));
    await server.close();
    liar.close();
    assert.equal(response.rcode, 'SERVFAIL');
  });

  it('queries from varying source ports (new sockets, rotated after a bounded number of uses)', async () => {
    const echo = await scriptedUpstream((query, send) => send(replyTo(query, [aRecord(query, '192.0.2.4')])));
    const server = createServer({ plugins: [forward({ to: [echo.address] })] });
    // Ten concurrent queries each need a socket of their own.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        server.exchange(makeQuery(`p${i}.example.`), {
          peer: { transport: 'udp', address: '127.0.0.1', port: 1 },
        }),
      ),
    );
    await server.close();
    echo.close();
    assert.equal(new Set(echo.ports).size, 10);
  });
});
