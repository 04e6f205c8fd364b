#!/usr/bin/env node
// `npm run bench`: server CPU per query under loopback load, and the in-process exchange rate.
// Each server runs in its own process; we read its CPU time (user + system) before and after a
// load run and divide by the answers received. Load comes from dnsperf when installed (Debian
// `dnsperf`), else from our own UDP load generator. Figures are what docs/performance.md reports.
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exchangeRate } from './bench/exchange-rate.mjs';
import { udpLoad } from './bench/udp-load.mjs';

const QUERIES = Number(process.env.BENCH_QUERIES ?? 200_000);
const child = new URL('./bench/server-child.mjs', import.meta.url).pathname;

function hasDnsperf() {
  try {
    execFileSync('dnsperf', ['-h'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return error.status === 1; // dnsperf -h exits 1 after printing usage
  }
}

function startChild(kind) {
  const proc = fork(child, [kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () => new Promise((resolve) => proc.once('message', resolve));
  return { proc, next };
}

function dnsperfLoad(port, count) {
  const dir = mkdtempSync(join(tmpdir(), 'dnskit-bench-'));
  const file = join(dir, 'queries.txt');
  writeFileSync(file, 'bench.example A\n'.repeat(1000));
  const out = execFileSync(
    'dnsperf',
    ['-s', '127.0.0.1', '-p', String(port), '-d', file, '-n', String(count / 1000), '-q', '100', '-t', '2'],
    { encoding: 'utf8' },
  );
  const completed = Number(/Queries completed:\s+(\d+)/.exec(out)?.[1] ?? 0);
  return { answered: completed };
}

async function measure(kind, useDnsperf) {
  const { proc, next } = startChild(kind);
  const { port } = await next();
  const load = (n) => (useDnsperf ? Promise.resolve(dnsperfLoad(port, n)) : udpLoad(port, n));
  await load(20_000); // warm-up: JIT and socket buffers
  proc.send('cpu');
  const before = await next();
  const t0 = performance.now();
  const { answered } = await load(QUERIES);
  const seconds = (performance.now() - t0) / 1000;
  proc.send('cpu');
  const after = await next();
  proc.send('exit');
  const cpuMicros = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
  return {
    kind,
    answered,
    usPerQuery: cpuMicros / answered,
    qps: answered / seconds,
    rssMB: after.rss / 2 ** 20,
  };
}

const useDnsperf = hasDnsperf() && process.env.BENCH_LOAD !== 'node';
console.log(`load generator: ${useDnsperf ? 'dnsperf' : 'node udp'}; ${QUERIES} queries per run`);
// Three interleaved rounds, median per server: a shared machine's noise hits every server alike.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const runs = { ceiling: [], whoami: [], static: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const kind of Object.keys(runs)) runs[kind].push(await measure(kind, useDnsperf));
}
const median = (list) => [...list].sort((a, b) => a.usPerQuery - b.usPerQuery)[Math.floor(list.length / 2)];
const results = Object.values(runs).map(median);
const ceiling = results[0].usPerQuery;
for (const r of results) {
  console.log(
    `${r.kind.padEnd(8)} ${r.usPerQuery.toFixed(2).padStart(7)} µs CPU/query  ${(r.usPerQuery / ceiling).toFixed(2)}x ceiling  ${Math.round(r.qps)} q/s  answered ${r.answered}  rss ${r.rssMB.toFixed(0)} MB`,
  );
}
const rate = await exchangeRate(100_000);
console.log(
  `exchange (in-process, whoami chain): ${Math.round(rate.perSecond)} queries/s, ${rate.usPerQuery.toFixed(2)} µs/query`,
);

// The other areas' benchmarks, each standalone (see its header); BENCH_ONLY=foundation skips them.
if (process.env.BENCH_ONLY !== 'foundation') {
  const areas = [
    ['cache hits and forwarding', ['scripts/bench/cache-hit.mjs']],
    ['forward failover', ['scripts/bench/forward-failover.mjs']],
    ['kubernetes answers', ['scripts/bench/k8s-query.mjs']],
    ['kubernetes memory', ['scripts/bench/k8s-memory.mjs']],
    ['kubernetes propagation', ['scripts/bench/k8s-propagation.mjs']],
    ['zone load (1,000,000 records)', ['--expose-gc', 'scripts/bench/zone-load.mjs']],
    ['ops plugin overhead', ['scripts/bench/ops-overhead.mjs']],
  ];
  for (const [title, args] of areas) {
    console.log(`\n== ${title}`);
    execFileSync(process.execPath, args, { stdio: 'inherit', env: process.env });
  }
}

