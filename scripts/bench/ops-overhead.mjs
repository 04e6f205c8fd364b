#!/usr/bin/env node
// Per-query cost of the ops plugins on the in-process path (server.exchange(), no sockets):
// a static 4-address answer alone, behind `prometheus` (metrics endpoint on 127.0.0.1:0), and
// behind `loadbalance`. Run after `npm run build`: node scripts/bench/ops-overhead.mjs [queries]
const COUNT = Number(process.argv[2] ?? process.env.BENCH_QUERIES ?? 200_000);

async function rate(dnskit, plugins) {
  const records = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4'].map((data) => ({
    name: 'bench.example.',
    type: 'A',
    class: 'IN',
    ttl: 60,
    data,
  }));
  const answer = { name: 'static', handle: (ctx) => ctx.reply({ answers: records }) };
  const server = dnskit.createServer({
    port: 0,
    listen: ['127.0.0.1'],
    plugins: [...plugins, answer],
    logger: dnskit.silentLogger,
  });
  await server.listen();
  const query = dnskit.makeQuery('bench.example.', 'A');
  for (let i = 0; i < 10_000; i++) await server.exchange(query);
  const t0 = performance.now();
  for (let i = 0; i < COUNT; i++) await server.exchange(query);
  const ms = performance.now() - t0;
  await server.close();
  return (ms * 1000) / COUNT;
}

const dnskit = await import('../../dist/index.js');
const baseline = await rate(dnskit, []);
const withPrometheus = await rate(dnskit, [dnskit.prometheus({ address: '127.0.0.1:0' })]);
const withLoadbalance = await rate(dnskit, [dnskit.loadbalance()]);
const show = (label, us) =>
  console.log(`${label.padEnd(28)} ${us.toFixed(2)} µs/query  (+${(us - baseline).toFixed(2)} µs)`);
console.log(`ops plugins, ${COUNT} exchanges each`);
show('static answer (baseline)', baseline);
show('prometheus + static', withPrometheus);
show('loadbalance + static', withLoadbalance);
