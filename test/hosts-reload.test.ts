import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { builtinPlugins, createRegistry, createServer, hosts, loadCorefile, silentLogger } from 'dnskit';
import { query } from 'dnskit/testing';
import { dig } from './helpers/dig.js';

/** Timers that run only when the test says so. */
function manualTimers() {
  const callbacks: { callback: () => void; ms: number }[] = [];
  return {
    callbacks,
    setInterval: (callback: () => void, ms: number) => {
      callbacks.push({ callback, ms });
      return callbacks.length - 1;
    },
    clearInterval: (handle: unknown) => {
      callbacks.splice(handle as number, 1);
    },
  };
}

describe('hosts reload', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnskit-hosts-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('polls the file, picks up changes, keeps the old data when the file goes away', async () => {
    const path = join(dir, 'hosts');
    writeFileSync(path, '10.0.0.1 a.example.org\n');
    const timers = manualTimers();
    const plugin = hosts({ path, timers, inline: '10.1.1.1 inline.example.org' });
    const server = createServer({ plugins: [plugin], logger: silentLogger });
    try {
      const first = await server.exchange(query('a.example.org.', 'A'));
      assert.deepEqual(
        first.answers.map((r) => r.data),
        ['10.0.0.1'],
      );
      assert.equal(timers.callbacks.length, 1);
      assert.equal(timers.callbacks[0]?.ms, 5000, 'CoreDNS polls every 5s by default');

      writeFileSync(path, '10.0.0.2 a.example.org\n10.0.0.3 b.example.org\n');
      timers.callbacks[0]?.callback();
      await plugin.reload(); // joins the read the tick started
      const changed = await server.exchange(query('a.example.org.', 'A'));
      assert.deepEqual(
        changed.answers.map((r) => r.data),
        ['10.0.0.2'],
      );

      rmSync(path);
      timers.callbacks[0]?.callback();
      await plugin.reload();
      const kept = await server.exchange(query('b.example.org.', 'A'));
      assert.deepEqual(
        kept.answers.map((r) => r.data),
        ['10.0.0.3'],
      );
      const inline = await server.exchange(query('inline.example.org.', 'A'));
      assert.equal(inline.answers.length, 1);
    } finally {
      await server.close();
    }
    assert.equal(timers.callbacks.length, 0, 'stop() cancels the poll');
  });

  it('does not poll with reload 0, and serves inline data without a file', async () => {
    const timers = manualTimers();
    const plugin = hosts({
      path: join(dir, 'absent'),
      timers,
      reloadMs: 0,
      inline: '10.1.1.1 x.example.org',
    });
    const server = createServer({ plugins: [plugin], logger: silentLogger });
    try {
      const response = await server.exchange(query('x.example.org.', 'A'));
      assert.equal(response.rcode, 'NOERROR');
      assert.equal(timers.callbacks.length, 0);
    } finally {
      await server.close();
    }
  });

  it('answers dig over UDP from a Corefile with a file and inline entries', async () => {
    const path = join(dir, 'corefile-hosts');
    writeFileSync(path, '192.0.2.10 web.example.org\n');
    const corefile = `example.org:0 {\n  bind 127.0.0.1\n  hosts ${path} {\n    192.0.2.11 web.example.org\n    ttl 120\n    reload 0\n  }\n}\n`;
    const { blocks } = loadCorefile(corefile, { registry: createRegistry(builtinPlugins) });
    const server = createServer({ blocks, logger: silentLogger });
    await server.listen();
    try {
      const port = server.addresses()[0]?.port ?? 0;
      const result = await dig('127.0.0.1', port, ['web.example.org', 'A']);
      assert.equal(result.status, 'NOERROR');
      assert.ok(result.flags.includes('aa'));
      assert.deepEqual(result.answers, [
        'web.example.org. 120 IN A 192.0.2.10',
        'web.example.org. 120 IN A 192.0.2.11',
      ]);
      const missing = await dig('127.0.0.1', port, ['nope.example.org', 'A']);
      assert.equal(missing.status, 'SERVFAIL');
    } finally {
      await server.close();
    }
  });
});
