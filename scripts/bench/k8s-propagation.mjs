// Kubernetes watch propagation: from the test API server writing a watch event to the changed
// record being visible to a lookup in the API source's store (what the kubernetes plugin reads),
// through real HTTP on loopback and the real @kubernetes/client-node informer.
//
// Runs against dist/ (npm run build first). The API server is the tests' own
// (test/helpers/k8s-api-server.ts), loaded through tsx so that bench and tests share one fixture.
//
//   node scripts/bench/k8s-propagation.mjs [changesPerSecond=1000] [seconds=3]
import { pathToFileURL } from 'node:url';

const SERVICES = 200;

function ipOf(seq) {
  return `10.${(seq >> 16) & 255}.${(seq >> 8) & 255}.${seq & 255}`;
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const service = (name, seq) => ({
  kind: 'Service',
  metadata: { name, namespace: 'bench' },
  spec: { type: 'ClusterIP', clusterIP: ipOf(seq), ports: [{ port: 80, protocol: 'TCP' }] },
});

async function until(condition, ms) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('k8s-propagation: timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Measures change-to-lookup latency at `rate` changes per second for `seconds`. */
export async function k8sPropagation(rate = 1000, seconds = 3) {
  const { tsImport } = await import('tsx/esm/api');
  const helper = new URL('../../test/helpers/k8s-api-server.ts', import.meta.url).href;
  const { startK8sApiServer } = await tsImport(helper, import.meta.url);
  const { apiCluster } = await import('../../dist/cluster/api/index.js');

  const server = await startK8sApiServer();
  server.apply({ kind: 'Namespace', metadata: { name: 'bench' } });
  for (let i = 0; i < SERVICES; i++) server.apply(service(`svc-${i}`, 0));
  const source = apiCluster({ endpoint: server.url, watchPods: false });
  await source.start();
  await until(() => source.synced() && server.openWatches === 3, 10_000);

  const sentAt = new Map();
  const latencies = [];
  source.on('change', (change) => {
    if (change.kind !== 'Service') return;
    // The lookup the plugin would do; the IP says which change this is.
    const ip = source.store.service(change.namespace, change.name)?.clusterIPs[0];
    const seq =
      ip === undefined
        ? undefined
        : ip.split('.').reduce((n, part, i) => (i === 0 ? 0 : n * 256 + Number(part)), 0);
    const t0 = seq === undefined ? undefined : sentAt.get(seq);
    if (t0 === undefined) return;
    latencies.push(performance.now() - t0);
    sentAt.delete(seq);
  });

  const total = Math.round(rate * seconds);
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    for (; sent < due; sent++) {
      const seq = sent + 1;
      sentAt.set(seq, performance.now());
      server.apply(service(`svc-${seq % SERVICES}`, seq));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await until(() => latencies.length >= total, 10_000).catch(() => undefined);
  const elapsed = (performance.now() - start) / 1000;
  await source.stop();
  await server.stop();

  const sorted = latencies.sort((a, b) => a - b);
  return {
    changes: total,
    received: sorted.length,
    achievedPerSecond: Math.round(total / elapsed),
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? Number.NaN,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rate = Number(process.argv[2] ?? 1000);
  const seconds = Number(process.argv[3] ?? 3);
  const result = await k8sPropagation(rate, seconds);
  const f = (n) => n.toFixed(2);
  console.log(
    `k8s watch propagation: ${result.received}/${result.changes} changes at ${result.achievedPerSecond}/s, ` +
      `p50 ${f(result.p50Ms)} ms, p99 ${f(result.p99Ms)} ms, max ${f(result.maxMs)} ms`,
  );
  if (result.received < result.changes) process.exitCode = 1;
}
