import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServer } from '../src/core/server.js';
import type { DnsServer, Plugin } from '../src/core/types.js';
import { makeQuery } from '../src/plugin-kit/test-helpers.js';
import { forward } from '../src/plugins/forward/index.js';
import type { DnsMessage } from '../src/wire/types.js';
import { aRecord, FakeUpstream, replyTo } from './forward-helpers.js';

const TCP_PEER = { transport: 'tcp', address: '127.0.0.1', port: 40000 } as const;
const UDP_PEER = { transport: 'udp', address: '127.0.0.1', port: 40000 } as const;

/** A plugin after forward that answers 192.0.2.99, to see when forward passed the query on. */
const fallback: Plugin = {
  name: 'fallback',
  handle: (ctx) =>
    ctx.reply({ answers: [{ name: ctx.rawName, type: 'A', class: 'IN', ttl: 1, data: '192.0.2.99' }] }),
};

function firstAddress(response: DnsMessage): unknown {
  return response.answers[0]?.data;
}

describe('forward: replies', () => {
  let upstream: FakeUpstream;
  let server: DnsServer;
  before(async () => {
    upstream = await FakeUpstream.start((query) =>
      replyTo(query, [aRecord(query, '192.0.2.1', 42)], {
        flags: { ...query.flags, qr: true, ra: true, aa: true },
      }),
    );
    server = createServer({ plugins: [forward({ to: [upstream.address] })] });
  });
  after(async () => {
    await server.close();
    await upstream.close();
  });

  it("keeps the client's ID and question spelling, and the upstream's flags and records", async () => {
    const response = await server.exchange(makeQuery('WwW.Example.ORG.', 'A', { id: 777 }), {
      peer: UDP_PEER,
    });
    assert.equal(response.id, 777);
    assert.equal(response.rcode, 'NOERROR');
    assert.deepEqual(response.questions, [{ name: 'WwW.Example.ORG.', type: 'A', class: 'IN' }]);
    assert.equal(response.flags.ra, true);
    assert.equal(response.flags.aa, true);
    assert.deepEqual(response.answers, [
      { name: 'WwW.Example.ORG.', type: 'A', class: 'IN', ttl: 42, data: '192.0.2.1' },
    ]);
    const sent = upstream.lookups.at(-1);
    assert.notEqual(sent?.id, undefined);
    assert.equal(sent?.questions[0]?.name, 'WwW.Example.ORG.');
  });

  it('uses a fresh random ID for each upstream query', async () => {
    const before = upstream.lookups.length;
    for (let i = 0; i < 8; i++)
      await server.exchange(makeQuery('ids.example.', 'A', { id: 1 }), { peer: UDP_PEER });
    const ids = new Set(upstream.lookups.slice(before).map((m) => m.id));
    assert.ok(ids.size >= 7, `expected distinct IDs, got ${[...ids].join(',')}`);
  });

  it("passes the client's EDNS (DO bit, payload) to the upstream", async () => {
    await server.exchange(makeQuery('edns.example.', 'A', { edns: { do: true, udpPayloadSize: 4096 } }), {
      peer: UDP_PEER,
    });
    const sent = upstream.lookups.at(-1);
    assert.equal(sent?.edns?.do, true);
    assert.equal(sent?.edns?.udpPayloadSize, 4096);
  });

  it('uses UDP for UDP clients and TCP for TCP clients, reusing the TCP connection', async () => {
    const before = upstream.queries.length;
    await server.exchange(makeQuery('udp.example.'), { peer: UDP_PEER });
    await server.exchange(makeQuery('tcp.example.'), { peer: TCP_PEER });
    await server.exchange(makeQuery('tcp2.example.'), { peer: TCP_PEER });
    const transports = upstream.queries.slice(before).map((q) => q.transport);
    assert.deepEqual(transports, ['udp', 'tcp', 'tcp']);
    assert.equal(upstream.tcpConnections, 1);
  });
});

describe('forward: transport options', () => {
  let upstream: FakeUpstream;
  before(async () => {
    upstream = await FakeUpstream.start((query, transport) =>
      transport === 'udp'
        ? replyTo(query, [], { flags: { ...query.flags, qr: true, tc: true } })
        : replyTo(query, [aRecord(query, '192.0.2.7')]),
    );
  });
  after(() => upstream.close());

  it('force_tcp sends UDP clients over TCP', async () => {
    const server = createServer({ plugins: [forward({ to: [upstream.address], forceTcp: true })] });
    const response = await server.exchange(makeQuery('force.example.'), { peer: UDP_PEER });
    await server.close();
    assert.equal(firstAddress(response), '192.0.2.7');
    assert.equal(upstream.queries.at(-1)?.transport, 'tcp');
  });

  it('prefer_udp asks over UDP for a TCP client and retries a truncated reply over TCP', async () => {
    const server = createServer({ plugins: [forward({ to: [upstream.address], preferUdp: true })] });
    const before = upstream.queries.length;
    const response = await server.exchange(makeQuery('prefer.example.'), { peer: TCP_PEER });
    await server.close();
    assert.deepEqual(
      upstream.queries.slice(before).map((q) => q.transport),
      ['udp', 'tcp'],
    );
    assert.equal(response.flags.tc, false);
    assert.equal(firstAddress(response), '192.0.2.7');
  });

  it('passes a truncated reply to a UDP client, which retries over TCP itself', async () => {
    const server = createServer({ plugins: [forward({ to: [upstream.address] })] });
    const response = await server.exchange(makeQuery('trunc.example.'), { peer: UDP_PEER });
    await server.close();
    assert.equal(response.flags.tc, true);
    assert.equal(upstream.queries.at(-1)?.transport, 'udp');
  });

  it('retries a truncated reply over TCP for an in-process client', async () => {
    const server = createServer({ plugins: [forward({ to: [upstream.address] })] });
    const response = await server.exchange(makeQuery('memory.example.'));
    await server.close();
    assert.equal(response.flags.tc, false);
    assert.equal(firstAddress(response), '192.0.2.7');
  });
});

describe('forward: which queries', () => {
  let upstream: FakeUpstream;
  before(async () => {
    upstream = await FakeUpstream.answering('192.0.2.1');
  });
  after(() => upstream.close());

  it('passes names outside FROM, and under except, to the next plugin', async () => {
    const server = createServer({
      plugins: [
        forward({ from: 'example.org', to: [upstream.address], except: ['private.example.org'] }),
        fallback,
      ],
    });
    const inside = await server.exchange(makeQuery('www.example.org.'));
    const outside = await server.exchange(makeQuery('www.example.net.'));
    const excepted = await server.exchange(makeQuery('db.private.example.org.'));
    await server.close();
    assert.equal(firstAddress(inside), '192.0.2.1');
    assert.equal(firstAddress(outside), '192.0.2.99');
    assert.equal(firstAddress(excepted), '192.0.2.99');
  });

  it('max_concurrent refuses queries beyond the limit', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = await FakeUpstream.start(async (query) => {
      await held;
      return replyTo(query, [aRecord(query, '192.0.2.5')]);
    });
    const server = createServer({ plugins: [forward({ to: [slow.address], maxConcurrent: 1 })] });
    const first = server.exchange(makeQuery('one.example.'), { peer: UDP_PEER });
    while (slow.lookups.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    const second = await server.exchange(makeQuery('two.example.'), { peer: UDP_PEER });
    release();
    const firstResponse = await first;
    const rejects = await server.metrics
      .getSingleMetric('coredns_forward_max_concurrent_rejects_total')
      ?.get();
    await server.close();
    await slow.close();
    assert.equal(second.rcode, 'REFUSED');
    assert.equal(firstResponse.rcode, 'NOERROR');
    assert.equal(rejects?.values[0]?.value, 1);
  });
});

describe('forward: next', () => {
  it('passes NXDOMAIN to the next forward, and keeps it when the next plugin is not a forward', async () => {
    const nx = await FakeUpstream.start((query) => replyTo(query, [], { rcode: 'NXDOMAIN' }));
    const good = await FakeUpstream.answering('192.0.2.8');
    const chained = createServer({
      plugins: [forward({ to: [nx.address], next: ['NXDOMAIN'] }), forward({ to: [good.address] })],
    });
    const notForward = createServer({
      plugins: [forward({ to: [nx.address], next: ['NXDOMAIN'] }), fallback],
    });
    const viaNext = await chained.exchange(makeQuery('gone.example.'));
    const kept = await notForward.exchange(makeQuery('gone.example.'));
    await chained.close();
    await notForward.close();
    await nx.close();
    await good.close();
    assert.equal(firstAddress(viaNext), '192.0.2.8');
    assert.equal(kept.rcode, 'NXDOMAIN');
  });
});

describe('forward: metrics', () => {
  it('counts requests and responses per upstream with CoreDNS names and labels', async () => {
    const upstream = await FakeUpstream.answering('192.0.2.1');
    const server = createServer({
      plugins: [forward({ to: [upstream.address] }), forward({ to: [upstream.address] })],
    });
    await server.exchange(makeQuery('m.example.'));
    await server.exchange(makeQuery('m.example.'));
    const text = await server.metrics.metrics();
    await server.close();
    await upstream.close();
    assert.match(text, new RegExp(`coredns_forward_requests_total\\{to="${upstream.address}"\\} 2`));
    assert.match(
      text,
      new RegExp(`coredns_forward_responses_total\\{to="${upstream.address}",rcode="NOERROR"\\} 2`),
    );
    assert.match(text, /coredns_forward_request_duration_seconds_count\{to="[^"]+",rcode="NOERROR"\} 2/);
  });
});
