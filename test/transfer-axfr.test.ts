import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  builtinPlugins,
  createRegistry,
  createServer,
  type DnsServer,
  loadCorefile,
  silentLogger,
} from 'dnskit';
import { dig } from './helpers/dig.js';

const zone = (extra: string) => `$ORIGIN example.org.
$TTL 3600
@ IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300
@ IN NS ns1
ns1 IN A 192.0.2.1
www IN A 192.0.2.2
${extra}
`;

async function serve(
  dir: string,
  name: string,
  zoneText: string,
  to: string,
): Promise<{ server: DnsServer; port: number }> {
  const path = join(dir, name);
  writeFileSync(path, zoneText);
  const corefile = `example.org:0 {\n  bind 127.0.0.1\n  transfer {\n    to ${to}\n  }\n  file ${path}\n}\n`;
  const { blocks } = loadCorefile(corefile, { registry: createRegistry(builtinPlugins) });
  const server = createServer({ blocks, logger: silentLogger });
  await server.listen();
  const port = server.addresses().find((a) => a.transport === 'tcp')?.port ?? 0;
  return { server, port };
}

describe('transfer over TCP with dig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnskit-axfr-'));
  const servers: DnsServer[] = [];
  let open: { server: DnsServer; port: number };
  before(async () => {
    open = await serve(dir, 'db.open', zone(''), '*');
    servers.push(open.server);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers dig AXFR with the zone between two SOAs', async () => {
    const result = await dig('127.0.0.1', open.port, ['example.org', 'AXFR']);
    const soa =
      'example.org. 3600 IN SOA ns1.example.org. hostmaster.example.org. 2024010101 7200 3600 1209600 300';
    const records = result.raw
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith(';'))
      .map((line) => line.trim().split(/\s+/).join(' '));
    assert.deepEqual(records, [
      soa,
      'example.org. 3600 IN NS ns1.example.org.',
      'ns1.example.org. 3600 IN A 192.0.2.1',
      'www.example.org. 3600 IN A 192.0.2.2',
      soa,
    ]);
    assert.match(result.raw, /XFR size: 5 records \(messages 1,/);
  });

  it('refuses a TCP client from 127.0.0.1 when `to` lists other addresses', async () => {
    const closed = await serve(dir, 'db.closed', zone(''), '192.0.2.53 10.0.0.1');
    servers.push(closed.server);
    const result = await dig('127.0.0.1', closed.port, ['example.org', 'AXFR']);
    assert.match(result.raw, /Transfer failed/);
    assert.doesNotMatch(result.raw, /IN\s+SOA/);
    const plain = await dig('127.0.0.1', closed.port, ['www.example.org', 'A', '+tcp']);
    assert.equal(plain.status, 'NOERROR', 'other queries still work over TCP');
  });

  it('sends a big zone as several messages that dig reassembles', async () => {
    const extra = Array.from({ length: 4000 }, (_, i) => `host${i} IN TXT "${'z'.repeat(120)}"`).join('\n');
    const big = await serve(dir, 'db.big', zone(extra), '*');
    servers.push(big.server);
    const result = await dig('127.0.0.1', big.port, ['example.org', 'AXFR']);
    const match = /XFR size: (\d+) records \(messages (\d+),/.exec(result.raw);
    assert.ok(match, result.raw.slice(-300));
    assert.equal(Number(match[1]), 4005);
    assert.ok(Number(match[2]) >= 8, `${match[2]} messages`);
  });
});
