// Memory of a large cluster in a memory cluster: 10,000 services, 100,000 endpoints (10 per
// service, in EndpointSlices) and 50,000 pods, fed as plain API objects (what the API source
// applies), in a fresh process. Reports the store's heap and the process's RSS after GC. The
// target figure (the whole CLI process with the API source) is k8s-process-memory.mjs's.
//
// Runs against dist/ (npm run build first):  node scripts/bench/k8s-memory.mjs
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bigCluster, ENDPOINTS_PER_SERVICE, endpointIp } from './big-cluster.mjs';

async function child() {
  const { memoryCluster } = await import('../../dist/cluster/index.js');
  const baseline = process.memoryUsage().rss;
  const started = performance.now();
  const cluster = memoryCluster();
  const { store } = cluster;
  // Objects arrive as the API gives them: parsed from JSON (flat strings, no shared structure).
  const apply = (object) => store.apply(JSON.parse(JSON.stringify(object)));
  bigCluster(apply);
  const buildMs = performance.now() - started;
  globalThis.gc?.();
  globalThis.gc?.();
  const usage = process.memoryUsage();
  process.send({
    services: store.count('Service'),
    slices: store.count('EndpointSlice'),
    pods: store.count('Pod'),
    lookup: store.endpointsByIP(endpointIp(12345)).length,
    baselineMB: baseline / 2 ** 20,
    rssMB: usage.rss / 2 ** 20,
    heapMB: usage.heapUsed / 2 ** 20,
    buildMs,
  });
}

async function run(flags) {
  const proc = fork(fileURLToPath(import.meta.url), ['child'], { execArgv: ['--expose-gc', ...flags] });
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('k8s-memory: timed out')), 120_000);
      proc.once('message', (message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  } finally {
    proc.kill();
  }
}

if (process.argv[2] === 'child') {
  await child();
} else {
  // Default V8 flags, then a small young generation: V8 keeps up to 32 MB of semi-spaces
  // committed after a burst of allocation, which RSS counts although no object lives there.
  for (const flags of [[], ['--max-semi-space-size=2']]) {
    const r = await run(flags);
    console.log(
      `k8s memory${flags.length > 0 ? ` (${flags.join(' ')})` : ''}: ${r.services} services, ` +
        `${r.slices * ENDPOINTS_PER_SERVICE} endpoints in ${r.slices} slices, ${r.pods} pods: ` +
        `RSS ${r.rssMB.toFixed(0)} MB (process before loading ${r.baselineMB.toFixed(0)} MB, heap used ${r.heapMB.toFixed(0)} MB), ` +
        `built in ${(r.buildMs / 1000).toFixed(2)} s`,
    );
  }
}
