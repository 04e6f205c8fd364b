#!/usr/bin/env node
// Server CPU per query for cache hits and for cache misses forwarded to a local upstream, against
// the ceiling of scripts/bench.mjs. Each server runs in its own process; its CPU time (user +
// system) around a dnsperf run is divided by the answers. Run after `npm run build`:
//   node scripts/bench/cache-hit.mjs            (BENCH_QUERIES, BENCH_ROUNDS as in bench.mjs)
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dnsperf, measureLoad, medianRound, printResults } from './measure.mjs';

const QUERIES = Number(process.env.BENCH_QUERIES ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const child = new URL('./cache-child.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'dnskit-cache-bench-'));

function start(kind, ...args) {
  const proc = fork(child, [kind, ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () => new Promise((resolve) => proc.once('message', resolve));
  return { proc, next };
}

/** A query file: the same name (hits) or `count` distinct names (misses). */
function queryFile(name, distinct, count) {
  const file = join(dir, `${name}.txt`);
  const lines = distinct
    ? Array.from({ length: count }, (_, i) => `q${i}.${name}.bench.example A`)
    : Array(1000).fill('bench.example A');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function measure(kind, round, upstreamPort) {
  const { proc, next } = start(kind, String(upstreamPort ?? ''));
  const { port } = await next();
  const misses = kind.startsWith('forward');
  // Distinct names per round, so that a forward run never hits what the warm-up cached.
  const warm = queryFile(`warm${round}${kind}`, misses, 20_000);
  dnsperf(port, warm, misses ? 1 : 20);
  const file = queryFile(`run${round}${kind}`, misses, QUERIES);
  try {
    return await measureLoad({ proc, next }, kind, port, file, misses ? 1 : QUERIES / 1000);
  } finally {
    proc.send('exit');
  }
}

try {
  execFileSync('dnsperf', ['-h'], { stdio: 'ignore' });
} catch (error) {
  if (error.status !== 1) {
    console.log('dnsperf is not installed: skipping the cache benchmark');
    process.exit(0);
  }
}

const upstream = start('echo-upstream');
const { port: upstreamPort } = await upstream.next();
const kinds = (process.env.BENCH_KINDS ?? 'ceiling,static,cache-hit,forward-only,forward-miss').split(',');
const runs = Object.fromEntries(kinds.map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const kind of kinds) runs[kind].push(await measure(kind, round, upstreamPort));
}
upstream.proc.send('exit');
rmSync(dir, { recursive: true, force: true });
const results = kinds.map((k) => medianRound(runs[k]));
const ceiling = results[0].usPerQuery;
console.log(`dnsperf, ${QUERIES} queries per run, median of ${ROUNDS} rounds`);
printResults(results.map((r) => ({ ...r, ratio: r.usPerQuery / ceiling })));
