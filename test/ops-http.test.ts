import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createServer, type DnsServer, type Plugin, silentLogger } from 'dnskit';
import { health, prometheus, ready } from '../src/plugins/index.js';
import { encodeMessage, makeQuery } from '../src/wire/index.js';
import { udpQuery } from './helpers/sockets.js';

const answerA: Plugin = {
  name: 'static',
  handle: (ctx) =>
    ctx.reply({ answers: [{ name: ctx.question.name, type: 'A', class: 'IN', ttl: 5, data: '192.0.2.1' }] }),
};

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(3000) });
  return { status: response.status, body: await response.text() };
}

function udpPort(server: DnsServer): number {
  const address = server.addresses().find((a) => a.transport === 'udp');
  assert.ok(address);
  return address.port;
}

describe('health over HTTP', () => {
  it('answers 200 OK on /health, 404 elsewhere, and keeps serving through the lameduck', async () => {
    const plugin = health({ address: '127.0.0.1:0', lameduckMs: 300, selfCheckIntervalMs: 0 });
    const readiness = ready({ address: '127.0.0.1:0' });
    const server = createServer({
      port: 0,
      listen: ['127.0.0.1'],
      plugins: [readiness, plugin, answerA],
      logger: silentLogger,
    });
    await server.listen();
    const port = (plugin.address() ?? assert.fail('no address')).port;
    assert.deepEqual(await get(port, '/health'), { status: 200, body: 'OK' });
    assert.deepEqual(await get(port, '/ready'), { status: 200, body: 'OK' });
    assert.equal((await get(port, '/nope')).status, 404);

    const started = performance.now();
    const closing = server.close();
    // During the lameduck both DNS and /health still answer.
    const reply = await udpQuery(udpPort(server), encodeMessage(makeQuery('example.org.')), {
      timeoutMs: 1000,
    });
    assert.ok(reply !== undefined, 'no DNS answer during lameduck');
    assert.deepEqual(await get(port, '/health'), { status: 200, body: 'OK' });
    assert.deepEqual(await get(port, '/ready'), { status: 503, body: 'Shutting down' });
    await closing;
    assert.ok(performance.now() - started >= 290, 'close did not wait for the lameduck');
    await assert.rejects(get(port, '/health'));
  });

  it('records its self check in the server registry', async () => {
    const plugin = health({ address: '127.0.0.1:0', selfCheckIntervalMs: 20 });
    const server = createServer({
      port: 0,
      listen: ['127.0.0.1'],
      plugins: [plugin, answerA],
      logger: silentLogger,
    });
    await server.listen();
    try {
      const deadline = performance.now() + 3000;
      let text = '';
      while (
        !/coredns_health_request_duration_seconds_count [1-9]/.test(text) &&
        performance.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        text = await server.metrics.metrics();
      }
      assert.match(text, /coredns_health_request_duration_seconds_count [1-9]/);
      assert.match(text, /coredns_health_request_failures_total 0/);
    } finally {
      await server.close();
    }
  });
});

describe('ready over HTTP', () => {
  it('answers 503 with the plugins not ready, then 200 OK once they are', async () => {
    let synced = false;
    const slow: Plugin = { name: 'slowpoke', handle: (_ctx, next) => next(), ready: () => synced };
    const alwaysReady: Plugin = { name: 'eager', handle: (_ctx, next) => next(), ready: () => true };
    const plugin = ready({ address: '127.0.0.1:0' });
    const server = createServer({
      port: 0,
      listen: ['127.0.0.1'],
      plugins: [plugin, alwaysReady, slow, answerA],
      logger: silentLogger,
    });
    await server.listen();
    try {
      const port = (plugin.address() ?? assert.fail('no address')).port;
      assert.deepEqual(await get(port, '/ready'), { status: 503, body: 'slowpoke' });
      synced = true;
      assert.deepEqual(await get(port, '/ready'), { status: 200, body: 'OK' });
      // until-ready: once seen ready, a plugin is not asked again.
      synced = false;
      assert.equal((await get(port, '/ready')).status, 200);
    } finally {
      await server.close();
    }
  });

  it('shares one endpoint between servers and reports every one of them', async () => {
    let bReady = false;
    const a = ready({ address: '127.0.0.1:0' });
    const b = ready({ address: '127.0.0.1:0' });
    const serverA = createServer({
      port: 0,
      listen: ['127.0.0.1'],
      plugins: [a, answerA],
      logger: silentLogger,
    });
    const serverB = createServer({
      port: 0,
      listen: ['127.0.0.1'],
      plugins: [b, { name: 'kubernetes', handle: (_c, next) => next(), ready: () => bReady }],
      logger: silentLogger,
    });
    await serverA.listen();
    await serverB.listen();
    try {
      assert.equal(a.address()?.port, b.address()?.port);
      const port = a.address()?.port ?? 0;
      assert.deepEqual(await get(port, '/ready'), { status: 503, body: 'kubernetes' });
      bReady = true;
      assert.deepEqual(await get(port, '/ready'), { status: 200, body: 'OK' });
    } finally {
      await serverB.close();
      await serverA.close();
    }
  });
});

describe('prometheus over HTTP', () => {
  it('serves CoreDNS server metrics with their labels after real UDP queries', async () => {
    const plugin = prometheus({ address: '127.0.0.1:0' });
    const server = createServer({
      port: 0,
      listen: ['127.0.0.1'],
      plugins: [plugin, answerA],
      logger: silentLogger,
    });
    await server.listen();
    try {
      const port = udpPort(server);
      for (let i = 0; i < 3; i++) {
        const reply = await udpQuery(port, encodeMessage(makeQuery('example.org.', 'A', { id: i })));
        assert.ok(reply);
      }
      await udpQuery(port, encodeMessage(makeQuery('example.org.', 'NAPTR')));
      const { status, body } = await get(plugin.address()?.port ?? 0, '/metrics');
      assert.equal(status, 200);
      const labels = `server="dns://127.0.0.1:${port}",zone=".",view=""`;
      assert.ok(
        body.includes(`coredns_dns_requests_total{${labels},proto="udp",family="1",type="A"} 3`),
        body,
      );
      assert.ok(body.includes(`coredns_dns_requests_total{${labels},proto="udp",family="1",type="other"} 1`));
      assert.ok(body.includes(`coredns_dns_responses_total{${labels},rcode="NOERROR",plugin=""} 4`));
      assert.ok(
        body.includes(`coredns_dns_request_duration_seconds_bucket{${labels},type="A",le="0.00025"}`),
      );
      assert.ok(body.includes(`coredns_dns_request_duration_seconds_count{${labels},type="A"} 3`));
      assert.ok(body.includes(`coredns_dns_request_size_bytes_count{${labels},proto="udp"} 4`));
      assert.ok(body.includes(`coredns_dns_response_size_bytes_bucket{${labels},proto="udp",le="+Inf"} 4`));
      assert.ok(
        body.includes(
          `coredns_plugin_enabled{server="dns://127.0.0.1:${port}",zone=".",view="",name="static"} 1`,
        ),
      );
      assert.match(body, /coredns_build_info\{version="[^"]+",revision="",goversion="v\d+/);
      assert.match(body, /^coredns_panics_total 0$/m);
      assert.match(body, /^process_cpu_user_seconds_total /m);
    } finally {
      await server.close();
    }
  });

  it('merges the registries of two servers on one address, counting each under its own server label', async () => {
    const one = prometheus({ address: '127.0.0.1:0' });
    const two = prometheus({ address: '127.0.0.1:0' });
    const serverOne = createServer({ port: 0, plugins: [one, answerA], logger: silentLogger });
    const serverTwo = createServer({ port: 0, plugins: [two, answerA], logger: silentLogger });
    await serverOne.listen();
    await serverTwo.listen();
    try {
      await serverOne.exchange(makeQuery('a.example.'));
      await serverTwo.exchange(makeQuery('b.example.'));
      await serverTwo.exchange(makeQuery('b.example.'));
      const { body } = await get(one.address()?.port ?? 0, '/metrics');
      const counts = [...body.matchAll(/^coredns_dns_requests_total\{server="dns:\/\/:(\d+)".*\} (\d+)$/gm)];
      assert.deepEqual(counts.map((m) => Number(m[2])).sort(), [1, 2]);
      assert.equal(body.match(/^coredns_build_info/gm)?.length, 1);
    } finally {
      await serverTwo.close();
      await serverOne.close();
    }
  });
});
