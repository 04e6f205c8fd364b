// The per-query path in process (server.exchange with pre-encoded query bytes, no sockets), with
// one repeated query name and with 1,000 distinct names: decode, route, chain, encode, and the
// exchange's own decode of the response. Shows what varied names cost on top of a repeated one.
// Runs against dist/ (npm run build first):  node scripts/bench/hotpath-exchange.mjs
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dnskit = await import('../../dist/index.js');
const count = Number(process.env.BENCH_QUERIES ?? 200_000);

function zoneText() {
  const lines = ['$ORIGIN zone.bench.', '$TTL 300', '@ SOA ns1 hostmaster 1 7200 3600 1209600 300'];
  lines.push('@ NS ns1', 'ns1 A 192.0.2.53');
  for (let i = 0; i < 330; i++) {
    lines.push(`host-${i} A 192.0.2.${i % 250}`, `host-${i} AAAA 2001:db8::${i}`);
    lines.push(`host-${i} TXT "record ${i}"`);
  }
  return `${lines.join('\n')}\n`;
}

function cluster() {
  const c = dnskit.memoryCluster();
  for (let s = 0; s < 1000; s++) {
    const clusterIP = `10.0.${s >> 8}.${s & 255}`;
    c.service({ name: `svc-${s}`, namespace: 'bench', clusterIP, ports: [{ name: 'http', port: 80 }] });
  }
  return c;
}

const staticAnswer = {
  name: 'static',
  handle: (ctx) =>
    ctx.reply({
      authoritative: true,
      answers: [{ name: ctx.question.name, type: 'A', class: 'IN', ttl: 60, data: '192.0.2.1' }],
    }),
};

const encode = (name, type) => dnskit.encodeMessage(dnskit.makeQuery(name, type));
const zoneQuery = (i) => {
  const host = `host-${i % 330}.zone.bench.`;
  const pick = [
    [host, 'A'],
    [host, 'AAAA'],
    [host, 'TXT'],
    [host, 'MX'],
    [`nope-${i}.zone.bench.`, 'A'],
  ][i % 5];
  return encode(pick[0], pick[1]);
};

async function rate(server, queries) {
  for (let i = 0; i < 20_000; i++) await server.exchange(queries[i % queries.length]);
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await server.exchange(queries[i % queries.length]);
  return ((performance.now() - t0) * 1000) / count;
}

const dir = mkdtempSync(join(tmpdir(), 'dnskit-hotpath-'));
const path = join(dir, 'db.zone.bench');
writeFileSync(path, zoneText());
const cases = [
  ['static', () => [dnskit.errors(), staticAnswer], (i) => encode(`name-${i}.bench.example.`, 'A')],
  ['zone', () => [dnskit.errors(), dnskit.file({ path, zones: ['zone.bench.'], reloadMs: 0 })], zoneQuery],
  [
    'k8s',
    () => [dnskit.errors(), dnskit.kubernetes({ zones: ['cluster.local.'], cluster: cluster() })],
    (i) => encode(`svc-${i}.bench.svc.cluster.local.`, 'A'),
  ],
];
try {
  for (const [kind, plugins, query] of cases) {
    const server = dnskit.createServer({ plugins: plugins() });
    const one = await rate(server, [query(0)]);
    const varied = await rate(
      server,
      Array.from({ length: 1000 }, (_, i) => query(i)),
    );
    await server.close();
    console.log(
      `${kind.padEnd(7)} one name ${one.toFixed(2)} µs/query   1,000 names ${varied.toFixed(2)} µs/query`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
