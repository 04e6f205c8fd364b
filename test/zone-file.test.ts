/** The `file`, `root` and `auto` plugins over real loopback sockets, queried with `dig`. */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createServer, type DnsServer } from '../src/core/index.js';
import { loadCorefile } from '../src/corefile/index.js';
import { recordingLogger } from '../src/plugin-kit/test-helpers.js';
import { auto, builtinPlugins, file } from '../src/plugins/index.js';
import { createRegistry } from '../src/registry/index.js';
import { query } from '../src/testing/index.js';
import { dig } from './helpers/dig.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'zones');
const zoneText = (serial: number, address: string) =>
  `$TTL 60\n@ SOA ns1 hostmaster ${serial} 7200 3600 1209600 60\n NS ns1\nns1 A 192.0.2.53\nwww A ${address}\n`;

describe('file plugin over loopback (dig)', () => {
  let server: DnsServer;
  let port = 0;

  before(async () => {
    const corefile = `example.org:0 {\n  bind 127.0.0.1\n  root ${FIXTURES}\n  file db.example.org\n}\n`;
    const { blocks } = loadCorefile(corefile, { registry: createRegistry(builtinPlugins) });
    server = createServer({ blocks, logger: recordingLogger().logger });
    await server.listen();
    port = server.addresses().find((a) => a.transport === 'udp')?.port ?? 0;
  });
  after(() => server.close());

  it('answers A with AA, through a CNAME, keeping the query case', async () => {
    const result = await dig('127.0.0.1', port, ['WwW.Example.ORG', 'A']);
    assert.equal(result.status, 'NOERROR');
    assert.ok(result.flags.includes('aa'));
    assert.deepEqual(result.answers, [
      'WwW.Example.ORG. 300 IN CNAME web.example.org.',
      'web.example.org. 300 IN A 192.0.2.80',
    ]);
  });

  it('answers NXDOMAIN with the SOA at the negative TTL, and wildcards', async () => {
    const missing = await dig('127.0.0.1', port, ['nothere.example.org', 'A']);
    assert.equal(missing.status, 'NXDOMAIN');
    assert.match(missing.raw, /;; AUTHORITY SECTION:\nexample\.org\.\s+60\s+IN\s+SOA\s+ns1\.example\.org\./);
    const wild = await dig('127.0.0.1', port, ['+tcp', 'x.apps.example.org', 'A']);
    assert.deepEqual(wild.answers, ['x.apps.example.org. 300 IN A 192.0.2.99']);
  });

  it('gives referrals without AA, with glue, and reads $INCLUDEd files relative to the zone file', async () => {
    const referral = await dig('127.0.0.1', port, ['+norec', 'host.shop.example.org', 'A']);
    assert.equal(referral.status, 'NOERROR');
    assert.ok(!referral.flags.includes('aa'));
    assert.match(
      referral.raw,
      /;; AUTHORITY SECTION:\nshop\.example\.org\.\s+300\s+IN\s+NS\s+ns\.shop\.example\.org\./,
    );
    assert.match(
      referral.raw,
      /;; ADDITIONAL SECTION:\nns\.shop\.example\.org\.\s+300\s+IN\s+A\s+192\.0\.2\.77/,
    );
    const txt = await dig('127.0.0.1', port, ['info.example.org', 'TXT']);
    assert.deepEqual(txt.answers, ['info.example.org. 300 IN TXT "included from a second file"']);
  });
});

describe('file plugin reload', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnskit-zone-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('swaps in a higher serial, ignores a lower one, and keeps serving when the new file is bad', async () => {
    const path = join(dir, 'db.example.org');
    writeFileSync(path, zoneText(1, '192.0.2.1'));
    const { logger, lines } = recordingLogger();
    const plugin = file({ path, zones: ['example.org.'], reloadMs: 0 });
    const server = createServer({ zones: ['example.org.'], plugins: [plugin], logger });
    const www = async () =>
      (await server.exchange(query('www.example.org.', 'A'))).answers.map((r) => r.data);
    try {
      assert.deepEqual(await www(), ['192.0.2.1']);
      const replace = (text: string) => {
        writeFileSync(`${path}.new`, text);
        renameSync(`${path}.new`, path);
      };
      replace(zoneText(2, '192.0.2.2'));
      plugin.reload();
      assert.deepEqual(await www(), ['192.0.2.2']);
      replace(zoneText(1, '192.0.2.9'));
      plugin.reload();
      assert.deepEqual(await www(), ['192.0.2.2'], 'a lower serial is not taken');
      replace(`${zoneText(3, '192.0.2.3')}bad 60 IN A not-an-address\n`);
      plugin.reload();
      assert.deepEqual(await www(), ['192.0.2.2'], 'the old zone keeps serving');
      assert.ok(
        lines.some((line) => /db\.example\.org:6: A: 'not-an-address' is not an IPv4 address/.test(line)),
        lines.join('\n'),
      );
      assert.equal(plugin.zones().get('example.org.')?.serial, 2);
      replace(zoneText(4, '192.0.2.4'));
      plugin.reload();
      assert.deepEqual(await www(), ['192.0.2.4']);
    } finally {
      await server.close();
    }
  });

  it('polls on its own interval', async () => {
    const path = join(dir, 'db.poll');
    writeFileSync(path, zoneText(1, '192.0.2.1'));
    const plugin = file({ path, zones: ['example.org.'], reloadMs: 20 });
    const server = createServer({
      zones: ['example.org.'],
      plugins: [plugin],
      logger: recordingLogger().logger,
    });
    try {
      await server.exchange(query('www.example.org.', 'A'));
      writeFileSync(path, zoneText(5, '192.0.2.5'));
      const deadline = Date.now() + 3000;
      while (plugin.zones().get('example.org.')?.serial !== 5 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(plugin.zones().get('example.org.')?.serial, 5);
    } finally {
      await server.close();
    }
  });

  it('fails to start on a broken zone file, and falls through on NXDOMAIN when asked', async () => {
    const bad = join(dir, 'db.bad');
    writeFileSync(bad, '$TTL 60\nwww A 192.0.2.1\n');
    const server = createServer({
      zones: ['example.org.'],
      plugins: [file({ path: bad, reloadMs: 0 })],
      logger: recordingLogger().logger,
    });
    await assert.rejects(server.listen(), /db\.bad: zone example\.org\. has no SOA/);
    await server.close();
    const good = join(dir, 'db.good');
    writeFileSync(good, zoneText(1, '192.0.2.1'));
    const fallthrough = { zones: ['.'] };
    const next = {
      name: 'next',
      handle: (ctx: { reply: (init: object) => void }) => ctx.reply({ rcode: 'REFUSED' }),
    };
    const chained = createServer({
      zones: ['.'],
      plugins: [file({ path: good, zones: ['example.org.'], fallthrough, reloadMs: 0 }), next],
      logger: recordingLogger().logger,
    });
    try {
      assert.equal((await chained.exchange(query('nx.example.org.', 'A'))).rcode, 'REFUSED');
      assert.equal((await chained.exchange(query('www.example.org.', 'A'))).rcode, 'NOERROR');
      assert.equal((await chained.exchange(query('www.example.net.', 'A'))).rcode, 'REFUSED');
    } finally {
      await chained.close();
    }
  });
});

describe('auto plugin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnskit-auto-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads every matching file, and picks up new, changed and removed zones on each scan', async () => {
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'db.example.org'), zoneText(1, '192.0.2.1').replace(/@/, 'example.org.'));
    copyFileSync(join(FIXTURES, 'db.example.org'), join(dir, 'ignored.txt'));
    const plugin = auto({ directory: dir, reloadMs: 0 });
    const server = createServer({ zones: ['.'], plugins: [plugin], logger: recordingLogger().logger });
    try {
      assert.equal((await server.exchange(query('www.example.org.', 'A'))).answers[0]?.data, '192.0.2.1');
      assert.deepEqual(plugin.zones().origins(), ['example.org.']);
      writeFileSync(join(dir, 'nested', 'db.example.net'), zoneText(1, '192.0.2.7'));
      plugin.scan();
      assert.equal((await server.exchange(query('www.example.net.', 'A'))).answers[0]?.data, '192.0.2.7');
      rmSync(join(dir, 'db.example.org'));
      plugin.scan();
      assert.deepEqual(plugin.zones().origins(), ['example.net.']);
      assert.equal((await server.exchange(query('www.example.org.', 'A'))).rcode, 'SERVFAIL');
    } finally {
      await server.close();
    }
  });

  it('maps names with a custom pattern and template from a Corefile, relative to root', async () => {
    const zones = join(dir, 'custom');
    mkdirSync(zones);
    writeFileSync(join(zones, 'example.com.zone'), zoneText(1, '192.0.2.8'));
    const corefile = `. {\n  root ${dir}\n  auto {\n    directory custom (.*)\\.zone {1}\n    reload 0\n  }\n}\n`;
    const { blocks } = loadCorefile(corefile, { registry: createRegistry(builtinPlugins) });
    const server = createServer({ blocks, logger: recordingLogger().logger });
    try {
      const response = await server.exchange(query('www.example.com.', 'A'));
      assert.equal(response.answers[0]?.data, '192.0.2.8');
      assert.equal(response.flags.aa, true);
    } finally {
      await server.close();
    }
  });
});
