#!/usr/bin/env node
// `npm run bench`: server CPU per query under loopback load, and the in-process exchange rate.
// Each server runs in its own process; we read its CPU time (user + system) before and after a
// load run and divide by the answers received. Load comes from dnsperf (Debian `dnsperf`, which
// must be installed). Figures are what docs/performance.md reports.
import { execFileSync } from 'node:child_process';
import { exchangeRate } from './bench/exchange-rate.mjs';
import { compareServers, printResults } from './bench/measure.mjs';

const count = Number(process.env.BENCH_QUERIES ?? 200_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
console.log(`dnsperf over loopback UDP, ${count} queries per run, median of ${rounds} interleaved rounds`);
const queries = () => Array.from({ length: 1000 }, () => 'bench.example A');
printResults(await compareServers(['ceiling', 'whoami', 'static'], queries, { count, rounds }));
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
    ['authoritative answers', ['scripts/bench/zone-query.mjs']],
    ['kubernetes process memory', ['scripts/bench/k8s-process-memory.mjs']],
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
