// Server CPU per query for authoritative answers from a 1,000-record zone (the `file` plugin),
// against the ceiling measured in the same run; dnsperf over loopback, median of 3 rounds.
// Runs against dist/ (npm run build first):  node scripts/bench/zone-query.mjs
import { compareServers, printResults } from './measure.mjs';

const queries = (kind) => {
  if (kind !== 'zone') return Array.from({ length: 1000 }, () => 'bench.example A');
  // A mix as resolvers send it: A and AAAA answers, TXT, NODATA and NXDOMAIN.
  return Array.from({ length: 1000 }, (_, i) => {
    const host = `host-${i % 330}.zone.bench`;
    return [`${host} A`, `${host} AAAA`, `${host} TXT`, `${host} MX`, `nope-${i}.zone.bench A`][i % 5];
  });
};
const count = Number(process.env.BENCH_QUERIES ?? 200_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
console.log('authoritative answers from a 1,000-record zone (file plugin), dnsperf, median of rounds');
printResults(await compareServers(['ceiling', 'zone'], queries, { count, rounds }));
