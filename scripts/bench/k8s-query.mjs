// Server CPU per query for a synthesized Kubernetes A answer: a dnskit server with
// `errors` + `kubernetes` over a memory cluster of 1,000 services, in its own process; load from
// dnsperf over loopback UDP. Its CPU time (user + system) around the run, divided by the answers.
//
// Runs against dist/ (npm run build first):  node scripts/bench/k8s-query.mjs [queries=200000]
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const QUERIES = Number(process.argv[2] ?? 200_000);

async function child() {
  const dnskit = await import('../../dist/index.js');
  const { memoryCluster } = await import('../../dist/cluster/index.js');
  const cluster = memoryCluster();
  for (let s = 0; s < 1000; s++) {
    cluster.service({
      name: `svc-${s}`,
      namespace: 'bench',
      clusterIP: `10.0.${s >> 8}.${s & 255}`,
      ports: [{ name: 'http', port: 80 }],
    });
  }
  const plugins = [
    dnskit.errors(),
    dnskit.kubernetes({ zones: ['cluster.local.'], cluster, localIPs: ['127.0.0.1'] }),
  ];
  const server = dnskit.createServer({ port: 0, listen: ['127.0.0.1'], transports: ['udp'], plugins });
  await server.listen();
  process.send({ port: server.addresses()[0].port });
  process.on('message', (m) => {
    if (m === 'cpu') process.send({ cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
    if (m === 'exit') process.exit(0);
  });
}

function dnsperf(port, file, count) {
  const out = execFileSync(
    'dnsperf',
    [
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
      '60',
    ],
    { encoding: 'utf8' },
  );
  return Number(/Queries completed:\s+(\d+)/.exec(out)?.[1] ?? 0);
}

async function main() {
  const proc = fork(fileURLToPath(import.meta.url), ['child'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () => new Promise((resolve) => proc.once('message', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'dnskit-k8s-bench-'));
  try {
    const { port } = await next();
    const file = join(dir, 'queries.txt');
    const lines = [];
    for (let i = 0; i < 1000; i++) lines.push(`svc-${i}.bench.svc.cluster.local A`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    dnsperf(port, file, 20_000); // warm-up
    proc.send('cpu');
    const before = await next();
    const t0 = performance.now();
    const answered = dnsperf(port, file, QUERIES);
    const seconds = (performance.now() - t0) / 1000;
    proc.send('cpu');
    const after = await next();
    const micros = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
    console.log(
      `k8s query (A of a ClusterIP service, 1,000 services): ${(micros / answered).toFixed(2)} µs CPU/query, ` +
        `${Math.round(answered / seconds)} q/s, answered ${answered}, rss ${(after.rss / 2 ** 20).toFixed(0)} MB`,
    );
  } finally {
    proc.send('exit');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') await child();
else await main();
