// Shared by the benchmarks: run a server in its own process (scripts/bench/server-child.mjs KIND),
// load it with dnsperf over loopback UDP, and divide the server's own CPU time (user + system)
// by the answers received. Rounds are interleaved by the callers; medians smooth a busy machine.
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const child = new URL('./server-child.mjs', import.meta.url).pathname;

/** Runs dnsperf over `file` `passes` times against a loopback port; returns the answers received. */
export function dnsperf(port, file, passes) {
  const args = [
    '-s',
    '127.0.0.1',
    '-p',
    String(port),
    '-d',
    file,
    '-n',
    String(passes),
    '-q',
    '100',
    '-t',
    '2',
    '-l',
    '120',
  ];
  const out = execFileSync('dnsperf', args, { encoding: 'utf8' });
  return Number(/Queries completed:\s+(\d+)/.exec(out)?.[1] ?? 0);
}

/**
 * The CPU a server child (answering `cpu` with its usage) spends per answer while dnsperf runs
 * `file` `passes` times against it, with its throughput and RSS.
 */
export async function measureLoad({ proc, next }, kind, port, file, passes) {
  proc.send('cpu');
  const before = await next();
  const t0 = performance.now();
  const answered = dnsperf(port, file, passes);
  const seconds = (performance.now() - t0) / 1000;
  proc.send('cpu');
  const after = await next();
  const cpuMicros = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
  return {
    kind,
    answered,
    usPerQuery: cpuMicros / answered,
    qps: answered / seconds,
    rssMB: after.rss / 2 ** 20,
  };
}

/** The median round of a server kind (by CPU per query). */
export const medianRound = (rounds) =>
  [...rounds].sort((a, b) => a.usPerQuery - b.usPerQuery)[Math.floor(rounds.length / 2)];

/**
 * Server CPU per query for one server kind under dnsperf. `queries`: 1,000 lines of dnsperf input
 * (`name TYPE`), repeated as needed.
 */
export async function measureServer(kind, queries, count) {
  const proc = fork(child, [kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () => new Promise((resolve) => proc.once('message', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'dnskit-bench-'));
  try {
    const { port } = await next();
    const file = join(dir, 'queries.txt');
    writeFileSync(file, `${queries.join('\n')}\n`);
    dnsperf(port, file, 20); // warm-up: JIT and socket buffers
    return await measureLoad({ proc, next }, kind, port, file, Math.ceil(count / 1000));
  } finally {
    proc.send('exit');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Interleaved rounds of several kinds; the median round of each, and its ratio to `ceiling`. */
export async function compareServers(kinds, queriesFor, { count = 200_000, rounds = 3 } = {}) {
  const runs = Object.fromEntries(kinds.map((kind) => [kind, []]));
  for (let round = 0; round < rounds; round++) {
    for (const kind of kinds) runs[kind].push(await measureServer(kind, queriesFor(kind), count));
  }
  const results = kinds.map((kind) => medianRound(runs[kind]));
  const ceiling = results.find((r) => r.kind === 'ceiling')?.usPerQuery ?? Number.NaN;
  return results.map((r) => ({ ...r, ratio: r.usPerQuery / ceiling }));
}

export function printResults(results) {
  const width = Math.max(8, ...results.map((r) => r.kind.length + 1));
  for (const r of results) {
    console.log(
      `${r.kind.padEnd(width)} ${r.usPerQuery.toFixed(2).padStart(7)} µs CPU/query  ${r.ratio.toFixed(2)}x ceiling  ${Math.round(r.qps)} q/s  answered ${r.answered}  rss ${r.rssMB.toFixed(0)} MB`,
    );
  }
}
