// Server CPU per query for synthesized Kubernetes answers (A of a ClusterIP service among 1,000
// services, memory cluster), against the ceiling measured in the same run; dnsperf over loopback,
// median of 3 rounds. Runs against dist/ (npm run build first):  node scripts/bench/k8s-query.mjs
import { compareServers, printResults } from './measure.mjs';

const queries = (kind) =>
  Array.from({ length: 1000 }, (_, i) =>
    kind === 'k8s' ? `svc-${i}.bench.svc.cluster.local A` : 'bench.example A',
  );
const count = Number(process.env.BENCH_QUERIES ?? 200_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
console.log('synthesized kubernetes answers (1,000 services), dnsperf, median of rounds');
printResults(await compareServers(['ceiling', 'k8s'], queries, { count, rounds }));
