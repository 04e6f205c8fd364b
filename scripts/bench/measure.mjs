// Shared by the benchmarks: run a server in its own process (scripts/bench/server-child.mjs KIND),
// load it with dnsperf over loopback UDP, and divide the server's own CPU time (user + system)
// by the answers received. Rounds are interleaved by the callers; medians smooth a busy machine.
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const child = new URL('./server-child.mjs', import.meta.url).pathname;

function dnsperf(port, file, count) {
  const args = [
    '-s',
    '127.0.0.1',
    '-p',
    String(port),
    '-d',
    file,
    '-n',
    String(Math.ceil(count / 1000)),
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
    dnsperf(port, file, 20_000); // warm-up: JIT and socket buffers
    proc.send('cpu');
    const before = await next();
    const t0 = performance.now();
    const answered = dnsperf(port, file, count);
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
  const median = (list) => [...list].sort((a, b) => a.usPerQuery - b.usPerQuery)[Math.floor(list.length / 2)];
  const results = kinds.map((kind) => median(runs[kind]));
  const ceiling = results.find((r) => r.kind === 'ceiling')?.usPerQuery ?? Number.NaN;
  return results.map((r) => ({ ...r, ratio: r.usPerQuery / ceiling }));
}

export function printResults(results) {
  for (const r of results) {
    console.log(
      `${r.kind.padEnd(8)} ${r.usPerQuery.toFixed(2).padStart(7)} µs CPU/query  ${r.ratio.toFixed(2)}x ceiling  ${Math.round(r.qps)} q/s  answered ${r.answered}  rss ${r.rssMB.toFixed(0)} MB`,
    );
  }
}
