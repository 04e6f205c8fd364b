// The headline memory figure: the whole dnskit process (the CLI, as deployed) serving a cluster
// of 10,000 services, 100,000 endpoints (10 per service, in EndpointSlices) and 50,000 pods
// (`pods verified`), fed by the real API source over @kubernetes/client-node from the tests' own
// API server (loaded through tsx, in this process). The Corefile is CoreDNS's default one (errors,
// health, ready, kubernetes, prometheus, forward, cache, loop, reload, loadbalance; forward to a
// closed loopback port, as this bench must not leave the machine), since CoreDNS's sizing rule is
// for its default deployment. Reads the CLI's VmRSS once it is ready and a query for the last
// service answers, then again after every kind was relisted at once (the API server forgot its
// history: 410 Gone on every watch). Target: CoreDNS's sizing rule, (pods + services) x 0.000858
// + 49.1 = about 101 MB.
//
// Runs against dist/ (npm run build first):  node scripts/bench/k8s-process-memory.mjs
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bigCluster, ENDPOINTS_PER_SERVICE, NAMESPACES, PODS, SERVICES } from './big-cluster.mjs';

function httpStatus(url) {
  return new Promise((resolve) => {
    get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).on('error', () => resolve(0));
  });
}

const rssMB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

const { tsImport } = await import('tsx/esm/api');
const { startK8sApiServer } = await tsImport(
  new URL('../../test/helpers/k8s-api-server.ts', import.meta.url).href,
  import.meta.url,
);
const api = await startK8sApiServer();
bigCluster((object) => api.apply(object));
const dir = mkdtempSync(join(tmpdir(), 'dnskit-k8s-mem-'));
const readyPort = 18181 + Math.floor(Math.random() * 1000);
const port = (offset) => readyPort + offset;
writeFileSync(
  join(dir, 'Corefile'),
  `.:0 {
  bind 127.0.0.1
  errors
  health 127.0.0.1:${port(1)}
  ready 127.0.0.1:${port(0)}
  kubernetes cluster.local in-addr.arpa ip6.arpa {
    endpoint ${api.url}
    pods verified
    fallthrough in-addr.arpa ip6.arpa
    ttl 30
  }
  prometheus 127.0.0.1:${port(2)}
  forward . 127.0.0.1:9
  cache 30
  loop
  reload
  loadbalance
}
`,
);
const started = performance.now();
const cli = spawn(
  process.execPath,
  [new URL('../../dist/cli/main.js', import.meta.url).pathname, '-conf', 'Corefile'],
  {
    cwd: dir,
    // stderr is kept for a failure: loop's self-query fails at the closed upstream, as it should.
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
let banner = '';
let errors = '';
cli.stdout.on('data', (d) => {
  banner += d;
});
cli.stderr.on('data', (d) => {
  errors += d;
});
try {
  const deadline = Date.now() + 120_000;
  while ((await httpStatus(`http://127.0.0.1:${readyPort}/ready`)) !== 200) {
    if (Date.now() > deadline) throw new Error(`k8s-process-memory: never ready\n${errors}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const readyMs = performance.now() - started;
  const dnsPort = Number(/^\.:(\d+)$/m.exec(banner)?.[1]);
  const answer = execFileSync(
    'dig',
    [
      '@127.0.0.1',
      '-p',
      String(dnsPort),
      '+short',
      `svc-${SERVICES - 1}.ns-${(SERVICES - 1) % NAMESPACES}.svc.cluster.local`,
    ],
    { encoding: 'utf8' },
  ).trim();
  await new Promise((r) => setTimeout(r, 3000)); // let the post-sync garbage settle
  const rss = rssMB(cli.pid);
  // Every watch ends, a change is made that the client misses, and the history is forgotten: each
  // kind's watch then resumes into a 410 Gone and relists, all four at once.
  const lists = () => api.requests.filter((r) => !r.watch).length;
  const initialLists = lists();
  api.pauseWatches();
  api.dropWatches();
  api.apply({ kind: 'Namespace', metadata: { name: 'ns-relist' } });
  api.expireHistory();
  api.resumeWatches();
  const relistDeadline = Date.now() + 120_000;
  while (lists() < 2 * initialLists) {
    if (Date.now() > relistDeadline) throw new Error('k8s-process-memory: never relisted');
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 3000));
  const relistedRss = rssMB(cli.pid);
  const peak = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${cli.pid}/status`, 'utf8'))?.[1]) / 1024;
  const target = (PODS + SERVICES) * 0.000858 + 49.1;
  console.log(
    `k8s process memory: dnskit CLI (CoreDNS's default Corefile) with the API source, ${SERVICES} services, ${SERVICES * ENDPOINTS_PER_SERVICE} endpoints, ${PODS} pods (pods verified): ` +
      `RSS ${rss.toFixed(0)} MB, ${relistedRss.toFixed(0)} MB after a full relist (target < ${target.toFixed(0)} MB); peak (VmHWM) ${peak.toFixed(0)} MB; ` +
      `synced and ready in ${(readyMs / 1000).toFixed(1)} s, svc-${SERVICES - 1} -> ${answer}`,
  );
} finally {
  cli.kill('SIGKILL');
  await api.stop();
}
