import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createServer } from '../src/core/server.js';
import type { DnsContext, DnsServer, Plugin } from '../src/core/types.js';
import { makeQuery, type QueryOptions } from '../src/plugin-kit/test-helpers.js';
import { type CacheOptions, cache } from '../src/plugins/cache/index.js';
import { encodeMessage } from '../src/wire/index.js';
import type { DnsMessage, ResourceRecord } from '../src/wire/types.js';
import { udpQuery } from './helpers/sockets.js';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 1_000_000;
  return { now: () => now, advance: (seconds: number) => (now += seconds * 1000) };
}

type Answer = (ctx: DnsContext) => void;

/** The plugin behind the cache: answers as told and counts the queries that reached it. */
function backend(answer: Answer): Plugin & { calls: number; answer: Answer } {
  const plugin = {
    name: 'backend',
    calls: 0,
    answer,
    handle: (ctx: DnsContext) => {
      plugin.calls++;
      plugin.answer(ctx);
    },
  };
  return plugin;
}

const a = (name: string, data: string, ttl: number): ResourceRecord => ({
  name,
  type: 'A',
  class: 'IN',
  ttl,
  data,
});
const soa = (ttl: number, minimum: number): ResourceRecord => ({
  name: 'example.org.',
  type: 'SOA',
  class: 'IN',
  ttl,
  data: {
    mname: 'ns.example.org.',
    rname: 'hostmaster.example.org.',
    serial: 1,
    refresh: 7200,
    retry: 3600,
    expire: 1209600,
    minimum,
  },
});
const answerA =
  (address: string, ttl: number): Answer =>
  (ctx) =>
    ctx.reply({ answers: [a(ctx.question.name, address, ttl)], recursionAvailable: true });

function setup(options: CacheOptions, answer: Answer) {
  const clock = manualClock();
  const back = backend(answer);
  const server = createServer({ plugins: [cache({ ...options, clock }), back] });
  const ask = (name: string, type = 'A', init: QueryOptions = {}) =>
    server.exchange(makeQuery(name, type, init));
  return { clock, back, server, ask };
}

const ttls = (response: DnsMessage) => [...response.answers, ...response.authorities].map((r) => r.ttl);
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('cache: positive answers', () => {
  it('counts TTLs down on hits and answers with the query ID and spelling', async () => {
    const { clock, back, server, ask } = setup({}, answerA('192.0.2.1', 300));
    assert.deepEqual(ttls(await ask('www.example.org.')), [300]);
    clock.advance(10.5);
    const hit = await ask('WWW.Example.ORG.', 'A', { id: 4242 });
    assert.equal(back.calls, 1);
    assert.equal(hit.id, 4242);
    assert.deepEqual(hit.questions, [{ name: 'WWW.Example.ORG.', type: 'A', class: 'IN' }]);
    assert.deepEqual(ttls(hit), [290]);
    assert.equal(hit.flags.ra, true);
    clock.advance(290);
    await ask('www.example.org.');
    assert.equal(back.calls, 2, 'expired after 300 s');
    await server.close();
  });

  it('answers with one TTL for every record: the lowest, within [min, max]', async () => {
    const two: Answer = (ctx) =>
      ctx.reply({ answers: [a(ctx.question.name, '192.0.2.1', 100), a(ctx.question.name, '192.0.2.2', 50)] });
    const low = setup({}, two);
    assert.deepEqual(ttls(await low.ask('two.example.')), [50, 50]);
    const capped = setup({ maxTtl: 30 }, answerA('192.0.2.1', 300));
    assert.deepEqual(ttls(await capped.ask('cap.example.')), [30]);
    capped.clock.advance(31);
    await capped.ask('cap.example.');
    assert.equal(capped.back.calls, 2);
    const floor = setup({}, answerA('192.0.2.1', 1));
    assert.deepEqual(ttls(await floor.ask('min.example.')), [5]);
    floor.clock.advance(4);
    assert.deepEqual(ttls(await floor.ask('min.example.')), [1]);
    assert.equal(floor.back.calls, 1);
    const tier = setup({ success: { maxTtl: 20, minTtl: 10 } }, answerA('192.0.2.1', 2));
    assert.deepEqual(ttls(await tier.ask('tier.example.')), [10]);
    await Promise.all([low.server.close(), capped.server.close(), floor.server.close(), tier.server.close()]);
  });

  it('keepttl answers with the stored TTL', async () => {
    const { clock, back, ask } = setup({ keepTtl: true }, answerA('192.0.2.1', 300));
    await ask('keep.example.');
    clock.advance(100);
    assert.deepEqual(ttls(await ask('keep.example.')), [300]);
    assert.equal(back.calls, 1);
  });

  it('keys on DO, CD and class as well as name and type', async () => {
    const { back, ask } = setup({}, answerA('192.0.2.1', 300));
    await ask('key.example.');
    await ask('KEY.example.');
    await ask('key.example.', 'A', { edns: { do: true } });
    await ask('key.example.', 'AAAA');
    await ask('key.example.', 'A', { class: 'CH' });
    assert.equal(back.calls, 4);
    await ask('key.example.', 'A', { edns: { do: true } });
    assert.equal(back.calls, 4);
  });

  it('keys on CD', async () => {
    const clock = manualClock();
    const back = backend(answerA('192.0.2.1', 300));
    const server = createServer({ plugins: [cache({ clock }), back] });
    const query = makeQuery('cd.example.');
    await server.exchange(query);
    await server.exchange({ ...query, flags: { ...query.flags, cd: true } });
    await server.exchange({ ...query, flags: { ...query.flags, cd: true } });
    assert.equal(back.calls, 2);
  });

  it('clears AD for clients that asked for neither DNSSEC nor AD', async () => {
    const { ask } = setup({}, (ctx) => {
      ctx.reply({ answers: [a(ctx.question.name, '192.0.2.1', 60)] });
      const response = ctx.response as DnsMessage;
      ctx.response = { ...response, flags: { ...response.flags, ad: true } };
    });
    const plain = await ask('ad.example.');
    const withDo = await ask('ad.example.', 'A', { edns: { do: true } });
    const plainHit = await ask('ad.example.');
    assert.equal(plain.flags.ad, false);
    assert.equal(withDo.flags.ad, true);
    assert.equal(plainHit.flags.ad, false);
  });

  it('does not cache truncated replies, REFUSED, or failures a plugin reported', async () => {
    const truncated = setup({}, (ctx) => {
      ctx.reply({ answers: [a(ctx.question.name, '192.0.2.1', 60)] });
      if (ctx.response !== undefined)
        ctx.response = { ...ctx.response, flags: { ...ctx.response.flags, tc: true } };
    });
    await truncated.ask('tc.example.');
    await truncated.ask('tc.example.');
    assert.equal(truncated.back.calls, 2);
    const refused = setup({}, (ctx) => ctx.reply({ rcode: 'REFUSED' }));
    await refused.ask('refused.example.');
    await refused.ask('refused.example.');
    assert.equal(refused.back.calls, 2);
    const failed = setup({}, (ctx) => ctx.fail('SERVFAIL', 'upstream timed out'));
    await failed.ask('failed.example.');
    await failed.ask('failed.example.');
    assert.equal(failed.back.calls, 2);
  });

  it('caches only names in its zones, and honours disable', async () => {
    const zoned = setup({ zones: ['example.org'] }, answerA('192.0.2.1', 60));
    await zoned.ask('www.example.org.');
    await zoned.ask('www.example.org.');
    await zoned.ask('www.example.net.');
    await zoned.ask('www.example.net.');
    assert.equal(zoned.back.calls, 3);
    const disabled = setup({ disable: { success: ['example.org'] } }, answerA('192.0.2.1', 60));
    await disabled.ask('www.example.org.');
    await disabled.ask('www.example.org.');
    await disabled.ask('www.example.net.');
    await disabled.ask('www.example.net.');
    assert.equal(disabled.back.calls, 3);
  });

  it('evicts the least recently used entry beyond the capacity', async () => {
    const { back, server, ask } = setup({ success: { capacity: 2 } }, answerA('192.0.2.1', 60));
    await ask('a.example.');
    await ask('b.example.');
    await ask('a.example.'); // a is now more recent than b
    await ask('c.example.'); // evicts b
    assert.equal(back.calls, 3);
    await ask('a.example.');
    assert.equal(back.calls, 3);
    await ask('b.example.');
    assert.equal(back.calls, 4);
    const text = await server.metrics.metrics();
    assert.match(text, /coredns_cache_evictions_total\{server="[^"]+",type="success",zones="\.",view=""\} 2/);
  });
});

describe('cache: negative answers', () => {
  it('caches NXDOMAIN for min(SOA TTL, SOA MINIMUM) (RFC 2308 5)', async () => {
    const { clock, back, ask } = setup({}, (ctx) =>
      ctx.reply({ rcode: 'NXDOMAIN', authorities: [soa(600, 60)] }),
    );
    const miss = await ask('gone.example.org.');
    assert.equal(miss.rcode, 'NXDOMAIN');
    assert.deepEqual(ttls(miss), [60]);
    clock.advance(59);
    const hit = await ask('gone.example.org.');
    assert.equal(hit.rcode, 'NXDOMAIN');
    assert.deepEqual(ttls(hit), [1]);
    assert.equal(back.calls, 1);
    clock.advance(1);
    await ask('gone.example.org.');
    assert.equal(back.calls, 2);
  });

  it('caps NODATA at the denial maximum (1800 s by default)', async () => {
    const { ask } = setup({}, (ctx) => ctx.reply({ authorities: [soa(86400, 86400)] }));
    assert.deepEqual(ttls(await ask('nodata.example.org.', 'MX')), [1800]);
  });

  it('caches SERVFAIL replies for the servfail duration (5 s by default, 0 disables)', async () => {
    const cached = setup({}, (ctx) => ctx.reply({ rcode: 'SERVFAIL' }));
    await cached.ask('sf.example.');
    cached.clock.advance(4);
    assert.equal((await cached.ask('sf.example.')).rcode, 'SERVFAIL');
    assert.equal(cached.back.calls, 1);
    cached.clock.advance(1);
    await cached.ask('sf.example.');
    assert.equal(cached.back.calls, 2);
    const off = setup({ servfailMs: 0 }, (ctx) => ctx.reply({ rcode: 'SERVFAIL' }));
    await off.ask('sf.example.');
    await off.ask('sf.example.');
    assert.equal(off.back.calls, 2);
  });

  it('disable denial stops negative caching for its zones', async () => {
    const { back, ask } = setup({ disable: { denial: ['.'] } }, (ctx) =>
      ctx.reply({ rcode: 'NXDOMAIN', authorities: [soa(600, 60)] }),
    );
    await ask('gone.example.org.');
    await ask('gone.example.org.');
    assert.equal(back.calls, 2);
  });
});

describe('cache: prefetch and serve_stale', () => {
  it('prefetches a popular entry in the background when its TTL runs low', async () => {
    const { clock, back, server, ask } = setup(
      { prefetch: { amount: 2, durationMs: 60_000, percentage: 50 } },
      answerA('192.0.2.1', 10),
    );
    await ask('hot.example.');
    clock.advance(1);
    await ask('hot.example.'); // 1 hit, TTL 9
    clock.advance(5);
    const low = await ask('hot.example.'); // 2 hits, TTL 4 <= 5: prefetch, answered from the cache
    assert.deepEqual(ttls(low), [4]);
    await flush();
    assert.equal(back.calls, 2);
    clock.advance(2);
    assert.deepEqual(ttls(await ask('hot.example.')), [8], 'the refreshed entry counts from the prefetch');
    assert.match(await server.metrics.metrics(), /coredns_cache_prefetch_total\{[^}]*\} 1/);
  });

  it('serve_stale immediate: answers an expired entry with TTL 0 and refreshes it behind', async () => {
    const { clock, back, server, ask } = setup({ serveStale: {} }, answerA('192.0.2.1', 10));
    await ask('stale.example.');
    back.answer = (ctx) => ctx.fail('SERVFAIL', 'upstream down');
    clock.advance(20);
    const stale = await ask('stale.example.');
    assert.equal(stale.rcode, 'NOERROR');
    assert.deepEqual(ttls(stale), [0]);
    assert.equal(stale.answers[0]?.data, '192.0.2.1');
    await flush();
    assert.equal(back.calls, 2, 'refreshed in the background');
    back.answer = answerA('192.0.2.2', 10);
    assert.equal(
      (await ask('stale.example.')).answers[0]?.data,
      '192.0.2.1',
      'still stale: the refresh failed',
    );
    await flush();
    assert.equal((await ask('stale.example.')).answers[0]?.data, '192.0.2.2', 'refreshed');
    assert.match(await server.metrics.metrics(), /coredns_cache_served_stale_total\{[^}]*\} 2/);
  });

  it('serve_stale verify: asks first, serves stale only when that fails', async () => {
    const { clock, back, ask } = setup({ serveStale: { refresh: 'verify' } }, answerA('192.0.2.1', 10));
    await ask('verify.example.');
    back.answer = (ctx) => ctx.fail('SERVFAIL', 'upstream down');
    clock.advance(20);
    const stale = await ask('verify.example.');
    assert.equal(back.calls, 2);
    assert.deepEqual(ttls(stale), [0]);
    assert.equal(stale.answers[0]?.data, '192.0.2.1');
    back.answer = answerA('192.0.2.2', 10);
    const fresh = await ask('verify.example.');
    assert.equal(fresh.answers[0]?.data, '192.0.2.2');
    assert.deepEqual(ttls(fresh), [10]);
  });

  it('does not serve entries expired for longer than the stale window', async () => {
    const { clock, back, ask } = setup({ serveStale: { durationMs: 30_000 } }, answerA('192.0.2.1', 10));
    await ask('old.example.');
    back.answer = (ctx) => ctx.fail('SERVFAIL', 'upstream down');
    clock.advance(10 + 31);
    assert.equal((await ask('old.example.')).rcode, 'SERVFAIL');
  });
});

describe('cache: metrics', () => {
  it('reports requests, hits, misses and entries with CoreDNS labels, shared by two caches', async () => {
    const clock = manualClock();
    const server: DnsServer = createServer({
      blocks: [
        {
          zones: ['example.org'],
          plugins: [cache({ clock, zones: ['example.org'] }), backend(answerA('192.0.2.1', 60))],
        },
        {
          zones: ['example.net'],
          plugins: [cache({ clock, zones: ['example.net'] }), backend(answerA('192.0.2.1', 60))],
        },
      ],
    });
    await server.exchange(makeQuery('a.example.org.'));
    await server.exchange(makeQuery('a.example.org.'));
    await server.exchange(makeQuery('a.example.net.'));
    const text = await server.metrics.metrics();
    assert.match(
      text,
      /coredns_cache_requests_total\{server="dns:\/\/:\d+",zones="example\.org\.",view=""\} 2/,
    );
    assert.match(
      text,
      /coredns_cache_hits_total\{server="[^"]+",type="success",zones="example\.org\.",view=""\} 1/,
    );
    assert.match(text, /coredns_cache_misses_total\{server="[^"]+",zones="example\.net\.",view=""\} 1/);
    assert.match(
      text,
      /coredns_cache_entries\{server="[^"]+",type="success",zones="example\.org\.",view=""\} 1/,
    );
    assert.match(
      text,
      /coredns_cache_entries\{server="[^"]+",type="denial",zones="example\.net\.",view=""\} 0/,
    );
    await server.close();
  });

  it('labels a bound listener with its address, as the prometheus plugin does', async () => {
    const server = createServer({
      blocks: [
        { zones: ['.'], listen: ['127.0.0.1'], plugins: [cache(), backend(answerA('192.0.2.1', 60))] },
      ],
      port: 0,
    });
    await server.listen();
    try {
      const port = server.addresses()[0]?.port ?? 0;
      for (let i = 0; i < 2; i++) assert.ok(await udpQuery(port, encodeMessage(makeQuery('a.example.'))));
      const text = await server.metrics.metrics();
      const label = `dns://127.0.0.1:${port}`.replaceAll('.', '\\.');
      assert.match(
        text,
        new RegExp(`coredns_cache_hits_total\\{server="${label}",type="success",zones="\\.",view=""\\} 1`),
      );
    } finally {
      await server.close();
    }
  });
});
