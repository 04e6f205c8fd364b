import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createServer, type DnsServer, file, secondary, silentLogger, transfer } from 'dnskit';
import { query } from 'dnskit/testing';

const zone = (serial: number, extra = '') => `$ORIGIN example.org.
$TTL 3600
@ IN SOA ns1 hostmaster ${serial} 7200 3600 9000 300
@ IN NS ns1
ns1 IN A 192.0.2.1
www IN A 192.0.2.2
${extra}
`;

/** One-shot timers and a clock that move only when the test says so. */
function fakeTimers() {
  let next = 0;
  const pending = new Map<number, { callback: () => void; ms: number }>();
  const clock = { now: 0 };
  return {
    clock,
    pending,
    setTimeout: (callback: () => void, ms: number) => {
      pending.set(++next, { callback, ms });
      return next;
    },
    clearTimeout: (handle: unknown) => void pending.delete(handle as number),
    now: () => clock.now,
    /** Runs the only pending timer, after checking its delay. */
    fire(expectedMs: number) {
      assert.equal(pending.size, 1, 'exactly one timer pending');
      const [id, timer] = [...pending][0] as [number, { callback: () => void; ms: number }];
      assert.equal(timer.ms, expectedMs);
      pending.delete(id);
      timer.callback();
    },
  };
}

async function primary(path: string): Promise<{ server: DnsServer; port: number; reload: () => void }> {
  const zoneFile = file({ path, reloadMs: 0 });
  const server = createServer({
    zones: ['example.org.'],
    port: 0,
    listen: ['127.0.0.1'],
    plugins: [transfer({ to: ['*'] }), zoneFile],
    logger: silentLogger,
  });
  await server.listen();
  const port = server.addresses().find((a) => a.transport === 'tcp')?.port ?? 0;
  // The file loads in the background: wait until the primary has the zone.
  await waitFor(async () => (await server.exchange(query('example.org.', 'SOA'))).rcode === 'NOERROR');
  return { server, port, reload: () => zoneFile.reload() };
}

/** A port where nothing listens (bound, then closed). */
async function deadPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe('secondary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnskit-secondary-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers SERVFAIL until the first transfer succeeds, backing off from 250 ms', async () => {
    const timers = fakeTimers();
    const plugin = secondary({
      zones: ['example.org.'],
      from: [{ address: '127.0.0.1', port: await deadPort() }],
      timers,
    });
    const server = createServer({ zones: ['example.org.'], plugins: [plugin], logger: silentLogger });
    try {
      assert.equal((await server.exchange(query('www.example.org.', 'A'))).rcode, 'SERVFAIL');
      await plugin.settled();
      timers.fire(250);
      await plugin.settled();
      timers.fire(500);
      await plugin.settled();
      assert.equal((await server.exchange(query('www.example.org.', 'A'))).rcode, 'SERVFAIL');
      assert.equal(plugin.zones().size, 0);
    } finally {
      await server.close();
    }
    assert.equal(timers.pending.size, 0, 'stop() cancels the timer');
  });

  it('transfers from a dnskit primary, refreshes on a new serial, expires without the primary', async () => {
    const path = join(dir, 'db.example.org');
    writeFileSync(path, zone(2024010101));
    const source = await primary(path);
    const timers = fakeTimers();
    const plugin = secondary({ from: [{ address: '127.0.0.1', port: source.port }], timers });
    const server = createServer({
      zones: ['example.org.'],
      plugins: [transfer({ to: ['*'] }), plugin],
      logger: silentLogger,
    });
    try {
      await server.exchange(query('www.example.org.', 'A')); // starts the plugin
      await plugin.settled();
      const first = await server.exchange(query('www.example.org.', 'A'));
      assert.equal(first.rcode, 'NOERROR');
      assert.equal(first.flags.aa, true);
      assert.deepEqual(
        first.answers.map((r) => r.data),
        ['192.0.2.2'],
      );
      assert.equal((await server.exchange(query('nope.example.org.', 'A'))).rcode, 'NXDOMAIN');
      // The secondary is a zone provider: it can pass the zone on.
      const chained = await server.exchangeAll(query('example.org.', 'AXFR'));
      assert.equal(chained.flatMap((m) => m.answers).length, 5);

      // Same serial at the first refresh: nothing changes, the next refresh is scheduled.
      timers.clock.now = 7_200_000;
      timers.fire(7_200_000);
      await plugin.settled();

      writeFileSync(path, zone(2024010102, 'new IN A 192.0.2.3'));
      source.reload();
      await waitFor(
        async () => (await source.server.exchange(query('new.example.org.', 'A'))).rcode === 'NOERROR',
      );
      assert.equal((await server.exchange(query('new.example.org.', 'A'))).rcode, 'NXDOMAIN');
      timers.clock.now = 14_400_000;
      timers.fire(7_200_000);
      await plugin.settled();
      const fresh = await server.exchange(query('new.example.org.', 'A'));
      assert.deepEqual(
        fresh.answers.map((r) => r.data),
        ['192.0.2.3'],
      );
      assert.equal(plugin.zones().get('example.org.')?.serial, 2024010102);

      // The primary goes away: retry hourly, but wake at the expiry (2.5 h after the last success).
      await source.server.close();
      timers.clock.now = 21_600_000;
      timers.fire(7_200_000);
      await plugin.settled();
      assert.equal((await server.exchange(query('www.example.org.', 'A'))).rcode, 'NOERROR');
      timers.clock.now = 23_400_000;
      timers.fire(1_800_000);
      await plugin.settled();
      assert.equal((await server.exchange(query('www.example.org.', 'A'))).rcode, 'SERVFAIL');
      assert.equal(plugin.zones().size, 0);
      timers.clock.now = 27_000_000;
      timers.fire(3_600_000); // still retrying after the expiry
      await plugin.settled();
      assert.equal((await server.exchange(query('www.example.org.', 'A'))).rcode, 'SERVFAIL');
    } finally {
      await server.close();
      await source.server.close();
    }
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not met within 1 s');
}
