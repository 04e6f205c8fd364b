import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createServer } from '../src/core/server.js';
import type { DnsServer } from '../src/core/types.js';
import { makeQuery, recordingLogger } from '../src/plugin-kit/test-helpers.js';
import { errors } from '../src/plugins/errors/index.js';
import { forward } from '../src/plugins/forward/index.js';
import type { DnsMessage } from '../src/wire/types.js';
import { aRecord, deadPort, FakeUpstream, replyTo } from './forward-helpers.js';

function answer(response: DnsMessage): unknown {
  return response.answers[0]?.data;
}

async function metricValue(server: DnsServer, name: string, to?: string): Promise<number> {
  const metric = await server.metrics.getSingleMetric(name)?.get();
  const value = metric?.values.find((v) => to === undefined || v.labels.to === to);
  return value?.value ?? 0;
}

/** Polls `condition` every 10 ms for up to `ms`. */
async function eventually(condition: () => Promise<boolean> | boolean, ms = 3000): Promise<void> {
  const until = performance.now() + ms;
  while (!(await condition())) {
    if (performance.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('forward: policies', () => {
  async function answersFor(
    policy: 'random' | 'round_robin' | 'sequential',
    count: number,
  ): Promise<unknown[]> {
    const upstreams = await Promise.all(
      ['192.0.2.1', '192.0.2.2', '192.0.2.3'].map((a) => FakeUpstream.answering(a)),
    );
    const server = createServer({ plugins: [forward({ to: upstreams.map((u) => u.address), policy })] });
    const seen: unknown[] = [];
    for (let i = 0; i < count; i++) seen.push(answer(await server.exchange(makeQuery(`q${i}.example.`))));
    await server.close();
    await Promise.all(upstreams.map((u) => u.close()));
    return seen;
  }

  it('sequential always asks the first upstream', async () => {
    assert.deepEqual(await answersFor('sequential', 5), Array(5).fill('192.0.2.1'));
  });

  it('round_robin rotates, starting with the second upstream as CoreDNS does', async () => {
    assert.deepEqual(await answersFor('round_robin', 6), [
      '192.0.2.2',
      '192.0.2.3',
      '192.0.2.1',
      '192.0.2.2',
      '192.0.2.3',
      '192.0.2.1',
    ]);
  });

  it('random spreads queries over every upstream', async () => {
    const seen = await answersFor('random', 90);
    for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
      const share = seen.filter((a) => a === address).length;
      assert.ok(share >= 12 && share <= 50, `${address} answered ${share} of 90`);
    }
  });
});

describe('forward: failure and recovery', () => {
  it('fails over to the next upstream when one refuses, without waiting for the read timeout', async () => {
    const port = await deadPort();
    const good = await FakeUpstream.answering('192.0.2.2');
    const server = createServer({
      plugins: [forward({ to: [`127.0.0.1:${port}`, good.address], policy: 'sequential' })],
    });
    const started = performance.now();
    const response = await server.exchange(makeQuery('failover.example.'));
    const took = performance.now() - started;
    await server.close();
    await good.close();
    assert.equal(answer(response), '192.0.2.2');
    assert.ok(took < 1000, `failover took ${took} ms`);
  });

  it('marks a silent upstream down after max_fails failed checks, skips it, and uses it again once it recovers', async () => {
    let healthy = false;
    const flaky = await FakeUpstream.start((query) =>
      healthy
        ? replyTo(query, query.questions[0]?.type === 'NS' ? [] : [aRecord(query, '192.0.2.1')])
        : undefined,
    );
    const good = await FakeUpstream.answering('192.0.2.2');
    const server = createServer({
      plugins: [
        forward({
          to: [flaky.address, good.address],
          policy: 'sequential',
          readTimeoutMs: 100,
          healthCheck: { intervalMs: 20, timeoutMs: 50 },
        }),
      ],
    });
    assert.equal(answer(await server.exchange(makeQuery('one.example.'))), '192.0.2.2');
    // Down once fails > max_fails (2): three failed checks.
    await eventually(
      async () => (await metricValue(server, 'coredns_forward_healthcheck_failures_total')) >= 3,
    );
    const asked = flaky.lookups.length;
    const started = performance.now();
    assert.equal(answer(await server.exchange(makeQuery('two.example.'))), '192.0.2.2');
    assert.ok(performance.now() - started < 90, 'a down upstream is skipped, not waited for');
    assert.equal(flaky.lookups.length, asked, 'the down upstream was not asked');
    const checks = flaky.queries.filter((q) => q.message.questions[0]?.type === 'NS');
    assert.equal(checks[0]?.message.questions[0]?.name, '.');
    assert.equal(checks[0]?.message.flags.rd, true);
    healthy = true;
    await eventually(async () => answer(await server.exchange(makeQuery('three.example.'))) === '192.0.2.1');
    await server.close();
    await flaky.close();
    await good.close();
  });

  it('tries a random upstream when all are down, and SERVFAILs with the reason when it fails', async () => {
    const port = await deadPort();
    const { logger, lines } = recordingLogger();
    const server = createServer({
      logger,
      plugins: [
        errors(),
        forward({ to: [`127.0.0.1:${port}`], healthCheck: { intervalMs: 10, timeoutMs: 50 } }),
      ],
    });
    const first = await server.exchange(makeQuery('down.example.'));
    assert.equal(first.rcode, 'SERVFAIL');
    await eventually(
      async () => (await metricValue(server, 'coredns_forward_healthcheck_failures_total')) >= 3,
    );
    const second = await server.exchange(makeQuery('down.example.'));
    assert.equal(second.rcode, 'SERVFAIL');
    assert.ok((await metricValue(server, 'coredns_forward_healthcheck_broken_total')) >= 1);
    assert.ok(
      lines.some((line) =>
        /\[ERROR\] plugin\/errors: 2 down\.example\. A: read udp .*ECONNREFUSED/.test(line),
      ),
      lines.join('\n'),
    );
    await server.close();
  });

  it('failfast_all_unhealthy_upstreams answers SERVFAIL without asking when every upstream is down', async () => {
    const silent = await FakeUpstream.start(() => undefined);
    const server = createServer({
      plugins: [
        forward({
          to: [silent.address],
          failfastAllUnhealthyUpstreams: true,
          readTimeoutMs: 50,
          timeoutMs: 120,
          healthCheck: { intervalMs: 10, timeoutMs: 20 },
        }),
      ],
    });
    assert.equal((await server.exchange(makeQuery('slow.example.'))).rcode, 'SERVFAIL');
    await eventually(
      async () => (await metricValue(server, 'coredns_forward_healthcheck_failures_total')) >= 3,
    );
    const asked = silent.lookups.length;
    const started = performance.now();
    const response = await server.exchange(makeQuery('fast.example.'));
    assert.equal(response.rcode, 'SERVFAIL');
    assert.ok(performance.now() - started < 40);
    assert.equal(silent.lookups.length, asked);
    await server.close();
    await silent.close();
  });

  it('max_fails 0 never marks an upstream down nor health checks it', async () => {
    const silent = await FakeUpstream.start(() => undefined);
    const server = createServer({
      plugins: [
        forward({
          to: [silent.address],
          maxFails: 0,
          readTimeoutMs: 30,
          timeoutMs: 70,
          healthCheck: { intervalMs: 5 },
        }),
      ],
    });
    await server.exchange(makeQuery('a.example.'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await server.exchange(makeQuery('b.example.'));
    await server.close();
    await silent.close();
    assert.equal(silent.queries.filter((q) => q.message.questions[0]?.type === 'NS').length, 0);
    assert.ok(silent.lookups.length >= 2);
  });
});
