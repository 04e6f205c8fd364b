// End to end: CoreDNS's default cluster Corefile and NodeLocal DNSCache's Corefile, unchanged apart
// from addresses, served by the `dnskit -conf` CLI against a test Kubernetes API server and a local
// upstream, queried with real dig over UDP and TCP, with /health, /ready and /metrics over HTTP.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { silentLogger } from '../src/core/index.js';
import { createServer } from '../src/core/server.js';
import type { DnsContext, DnsServer, Plugin } from '../src/core/types.js';
import type { ResourceRecord } from '../src/wire/types.js';
import { type DigResult, dig } from './helpers/dig.js';
import { type ApiObject, type K8sApiServer, startK8sApiServer } from './helpers/k8s-api-server.js';

const fixtures = new URL('./fixtures/corefiles/', import.meta.url);
const main = new URL('../src/cli/main.ts', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');
const TOKEN = 'seed-e2e-token';
const EXTERNAL_IP = '192.0.2.10';

/** A port that was free a moment ago on `host` (UDP); the servers bind it for UDP and TCP. */
function freeUdpPort(host: string): Promise<number> {
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** A TCP port that was free a moment ago on `host`, for the HTTP endpoints. */
function freeTcpPort(host: string): Promise<number> {
  const server = createTcpServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The node's resolver stand-in: answers A for names under example.com, NXDOMAIN for the rest. */
function startUpstream(): { server: DnsServer; seen: string[] } {
  const seen: string[] = [];
  const soa: ResourceRecord = {
    name: '.',
    type: 'SOA',
    class: 'IN',
    ttl: 60,
    data: {
      mname: 'ns.upstream.test.',
      rname: 'hostmaster.upstream.test.',
      serial: 1,
      refresh: 3600,
      retry: 600,
      expire: 86400,
      minimum: 60,
    },
  };
  const plugin: Plugin = {
    name: 'upstream',
    handle(ctx: DnsContext) {
      const { name, type } = ctx.question;
      seen.push(`${type} ${name}`);
      if (name === 'example.com.' || name.endsWith('.example.com.')) {
        const answers: ResourceRecord[] =
          type === 'A' ? [{ name: ctx.rawName, type: 'A', class: 'IN', ttl: 300, data: EXTERNAL_IP }] : [];
        ctx.reply({ authoritative: true, answers });
        return;
      }
      ctx.reply({ rcode: 'NXDOMAIN', authoritative: true, authorities: [soa] });
    },
  };
  const server = createServer({
    zones: ['.'],
    plugins: [plugin],
    listen: ['127.0.0.1'],
    port: 0,
    logger: silentLogger,
  });
  return { server, seen };
}

const service = (name: string, spec: Record<string, unknown>, namespace = 'default'): ApiObject => ({
  kind: 'Service',
  metadata: { name, namespace },
  spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...spec },
});
const slice = (service: string, ips: string[]): ApiObject => ({
  kind: 'EndpointSlice',
  metadata: {
    name: `${service}-abc12`,
    namespace: 'default',
    labels: { 'kubernetes.io/service-name': service },
  },
  addressType: 'IPv4',
  endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
});

/** A small cluster: kube-dns, nginx with endpoints, a headless service, a pod. */
function seedCluster(api: K8sApiServer): void {
  api.apply({ kind: 'Namespace', metadata: { name: 'default' } });
  api.apply({ kind: 'Namespace', metadata: { name: 'kube-system' } });
  api.apply({
    kind: 'Service',
    metadata: { name: 'kube-dns', namespace: 'kube-system' },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.10',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      ],
    },
  });
  api.apply(service('nginx', { clusterIP: '10.96.0.50' }));
  api.apply(slice('nginx', ['10.244.1.7']));
  api.apply(service('db', { clusterIP: 'None' }));
  api.apply(slice('db', ['10.244.2.5', '10.244.2.6']));
  api.apply({
    kind: 'Pod',
    metadata: { name: 'nginx-abc12', namespace: 'default' },
    status: { podIP: '10.244.1.7', phase: 'Running' },
  });
}

/** A kubeconfig for the test API server (plain http, bearer token), as kubectl would use it. */
function writeKubeconfig(dir: string, url: string): string {
  const path = join(dir, 'kubeconfig');
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: ${url}
users:
- name: test
  user:
    token: ${TOKEN}
contexts:
- name: test
  context:
    cluster: test
    user: test
current-context: test
`,
  );
  return path;
}

/** A running `dnskit -conf` child, with everything it printed so far. */
interface Cli {
  readonly child: ChildProcess;
  readonly output: () => string;
}

/** Starts the CLI on a Corefile and resolves once its banner names `port`. */
function startCli(dir: string, corefile: string, port: number, kubeconfig: string): Promise<Cli> {
  const file = join(dir, `Corefile-${port}`);
  writeFileSync(file, corefile);
  const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: kubeconfig };
  // Outside a pod, whatever runs the tests: the KUBECONFIG extension is what is under test.
  delete env.KUBERNETES_SERVICE_HOST;
  delete env.KUBERNETES_SERVICE_PORT;
  const child = spawn(process.execPath, ['--import', tsx, main, '-conf', file], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const collect = (d: Buffer) => {
    out += d.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no banner within 20s: ${out}`));
    }, 20_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${out}`));
    };
    child.once('exit', onExit);
    child.stdout.on('data', () => {
      if (!new RegExp(`^\\.:${port}$`, 'm').test(out)) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ child, output: () => out });
    });
  });
}

/** SIGTERM, then the exit code; SIGKILL if it has not exited within `ms`. */
function stopCli(cli: Cli | undefined, ms = 15_000): Promise<number | null> {
  if (cli === undefined || cli.child.exitCode !== null) return Promise.resolve(cli?.child.exitCode ?? null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => cli.child.kill('SIGKILL'), ms);
    cli.child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    cli.child.kill('SIGTERM');
  });
}

/** GET over HTTP with a 3 s bound. */
async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  return { status: response.status, body: await response.text() };
}

/** Polls `url` until it answers 200, for at most `ms`. */
async function until200(url: string, ms = 10_000): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + ms;
  for (;;) {
    const result = await get(url).catch(() => ({ status: 0, body: '' }));
    if (result.status === 200 || Date.now() > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The sum of a counter's samples whose label set contains every `labels` pair. */
function counter(metrics: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of metrics.split('\n')) {
    const match = new RegExp(`^${name}(?:\\{([^}]*)\\})? (\\S+)$`).exec(line);
    if (!match) continue;
    const set = match[1] ?? '';
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) sum += Number(match[2]);
  }
  return sum;
}

/** Answer lines without their TTLs (a cached answer counts its TTL down), sorted (loadbalance shuffles). */
const rdata = (r: DigResult): string[] =>
  r.answers
    .map((a) =>
      a
        .split(' ')
        .filter((_, i) => i !== 1)
        .join(' '),
    )
    .sort();

/** The authority section's record types. */
const authorityTypes = (r: DigResult): string[] =>
  (/;; AUTHORITY SECTION:\n([\s\S]*?)\n\n/.exec(r.raw)?.[1] ?? '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/)[3] ?? '');

/** The seed Corefile with only its addresses changed. */
function clusterCorefile(p: {
  dns: number;
  health: number;
  ready: number;
  metrics: number;
  upstream: string;
}) {
  const seed = readFileSync(new URL('seed000-kubernetes.Corefile', fixtures), 'utf8');
  const text = seed
    .replace('.:53 {', `.:${p.dns} {`)
    .replace('health {', `health 127.0.0.1:${p.health} {`)
    .replace(/^(\s*)ready$/m, `$1ready 127.0.0.1:${p.ready}`)
    .replace('prometheus :9153', `prometheus 127.0.0.1:${p.metrics}`)
    .replace('forward . /etc/resolv.conf', `forward . ${p.upstream}`);
  return { seed, text };
}

/** NodeLocal DNSCache's ConfigMap with its placeholders and ports replaced by loopback addresses. */
function nodeLocalCorefile(p: {
  dns: number;
  health: number;
  metrics: number;
  cluster: string;
  upstream: string;
}) {
  const seed = readFileSync(new URL('nodelocaldns.Corefile', fixtures), 'utf8');
  const text = seed
    .replaceAll(':53 {', `:${p.dns} {`)
    .replaceAll('prometheus :9253', `prometheus __PILLAR__LOCAL__DNS__:${p.metrics}`)
    .replaceAll('__PILLAR__LOCAL__DNS__:8080', `__PILLAR__LOCAL__DNS__:${p.health}`)
    // The install step's sed (the cluster domain), then what node-cache substitutes at start.
    .replaceAll('__PILLAR__DNS__DOMAIN__', 'cluster.local')
    .replaceAll('__PILLAR__LOCAL__DNS__', '127.0.0.20')
    .replaceAll('__PILLAR__DNS__SERVER__', '127.0.0.21')
    .replaceAll('__PILLAR__CLUSTER__DNS__', p.cluster)
    .replaceAll('__PILLAR__UPSTREAM__SERVERS__', p.upstream);
  return { seed, text };
}

/** Every line of `before` and `after` that differs, as pairs: what "apart from addresses" changed. */
function changedLines(before: string, after: string): Array<[string, string]> {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(a.length, b.length, 'substitution added or removed lines');
  return a.flatMap(
    (line, i): Array<[string, string]> => (line === b[i] ? [] : [[line.trim(), (b[i] ?? '').trim()]]),
  );
}

/** dig over UDP and over TCP. */
async function digBoth(host: string, port: number, args: string[]): Promise<DigResult[]> {
  return [await dig(host, port, args), await dig(host, port, ['+tcp', ...args])];
}

/** The `log` plugin's lines for `name` that arrived over `proto`. */
function logLines(output: string, name: string, proto: 'udp' | 'tcp'): number {
  return output.split('\n').filter((l) => l.includes(` IN ${name} ${proto} `)).length;
}

/** The probes the `loop` plugin sent that reached the upstream (HINFO `<n>.<n>.<zone>`). */
function loopProbes(seen: readonly string[], zone: string): number {
  const suffix = zone === '.' ? '' : zone.replaceAll('.', '\\.');
  return seen.filter((q) => new RegExp(`^HINFO \\d+\\.\\d+\\.${suffix}$`).test(q)).length;
}

/** Polls until `check` holds, for at most `ms`. */
async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return check();
}

interface Running {
  readonly dir: string;
  readonly api: K8sApiServer;
  readonly upstream: { server: DnsServer; seen: string[]; address: string };
  readonly kubeconfig: string;
  cluster?: Cli;
  nodeLocal?: Cli;
}

/** The cluster DNS's own answers (kubernetes), over UDP and TCP. */
async function clusterAnswers(port: number) {
  const host = '127.0.0.1';

  const [nginxUdp, nginxTcp] = await digBoth(host, port, ['nginx.default.svc.cluster.local', 'A']);
  assert.deepEqual(nginxUdp?.answers, ['nginx.default.svc.cluster.local. 30 IN A 10.96.0.50']);
  assert.ok(nginxUdp?.flags.includes('aa'));
  assert.equal(nginxTcp?.transport, 'TCP');
  assert.deepEqual(nginxTcp && rdata(nginxTcp), ['nginx.default.svc.cluster.local. IN A 10.96.0.50']);
  const expectations: Array<[string[], string[]]> = [
    [
      ['db.default.svc.cluster.local', 'A'],
      ['db.default.svc.cluster.local. IN A 10.244.2.5', 'db.default.svc.cluster.local. IN A 10.244.2.6'],
    ],
    [
      ['_http._tcp.nginx.default.svc.cluster.local', 'SRV'],
      ['_http._tcp.nginx.default.svc.cluster.local. IN SRV 0 100 80 nginx.default.svc.cluster.local.'],
    ],
    [['-x', '10.96.0.50'], ['50.0.96.10.in-addr.arpa. IN PTR nginx.default.svc.cluster.local.']],
    [
      ['10-244-1-7.default.pod.cluster.local', 'A'],
      ['10-244-1-7.default.pod.cluster.local. IN A 10.244.1.7'],
    ],
    [
      ['kube-dns.kube-system.svc.cluster.local', 'A'],
      ['kube-dns.kube-system.svc.cluster.local. IN A 10.96.0.10'],
    ],
  ];
  for (const [args, expected] of expectations) {
    for (const result of await digBoth(host, port, args)) {
      assert.equal(result.status, 'NOERROR', args.join(' '));
      assert.deepEqual(rdata(result), expected, `${args.join(' ')} over ${result.transport}`);
    }
  }
  for (const result of await digBoth(host, port, ['nope.default.svc.cluster.local', 'A'])) {
    assert.equal(result.status, 'NXDOMAIN');
    assert.deepEqual(authorityTypes(result), ['SOA']);
  }
}

/** The cluster DNS's forward, cache, loop and HTTP endpoints. */
async function clusterOperations(
  run: Running,
  port: number,
  http: { health: number; ready: number; metrics: number },
) {
  const host = '127.0.0.1';
  assert.deepEqual(await until200(`http://127.0.0.1:${http.health}/health`), { status: 200, body: 'OK' });
  // Outside the cluster zones: forwarded to the upstream once, then answered from the cache.
  const asked = () => run.upstream.seen.filter((q) => q === 'A example.com.').length;
  const first = await dig(host, port, ['example.com', 'A']);
  const second = await dig(host, port, ['+tcp', 'example.com', 'A']);
  assert.deepEqual(rdata(first), [`example.com. IN A ${EXTERNAL_IP}`]);
  assert.deepEqual(rdata(second), [`example.com. IN A ${EXTERNAL_IP}`]);
  assert.equal(asked(), 1);

  const metrics = await get(`http://127.0.0.1:${http.metrics}/metrics`);
  assert.equal(metrics.status, 200);
  assert.ok(counter(metrics.body, 'coredns_dns_requests_total', { proto: 'udp' }) >= 7, metrics.body);
  assert.ok(counter(metrics.body, 'coredns_dns_requests_total', { proto: 'tcp' }) >= 7);
  assert.ok(counter(metrics.body, 'coredns_cache_hits_total') >= 1);
  assert.ok(counter(metrics.body, 'coredns_forward_requests_total', { to: run.upstream.address }) >= 1);

  // loop: its probe went out through forward to the upstream, and no loop was seen.
  assert.ok(
    await eventually(() => loopProbes(run.upstream.seen, '.') >= 1),
    'no loop probe reached the upstream',
  );
  assert.equal(run.cluster?.child.exitCode, null);
  assert.doesNotMatch(run.cluster?.output() ?? '', /Loop \(/);
}

/** NodeLocal DNSCache's answers: cluster names through the cluster DNS, the rest from the upstream. */
async function nodeLocalAnswers(run: Running, port: number) {
  const clusterOut = () => run.cluster?.output() ?? '';
  const name = 'nginx.default.svc.cluster.local.';
  const tcpBefore = logLines(clusterOut(), name, 'tcp');
  const udpBefore = logLines(clusterOut(), name, 'udp');
  for (const host of ['127.0.0.20', '127.0.0.21']) {
    for (const result of await digBoth(host, port, ['nginx.default.svc.cluster.local', 'A'])) {
      assert.equal(result.status, 'NOERROR');
      assert.deepEqual(rdata(result), ['nginx.default.svc.cluster.local. IN A 10.96.0.50'], `via ${host}`);
    }
  }
  // node-local -> cluster DNS went over TCP (force_tcp), once: node-local's own cache did the rest.
  assert.ok(await eventually(() => logLines(clusterOut(), name, 'tcp') === tcpBefore + 1), clusterOut());
  assert.equal(logLines(clusterOut(), name, 'udp'), udpBefore);

  const ptr = await dig('127.0.0.20', port, ['-x', '10.96.0.50']);
  assert.deepEqual(rdata(ptr), ['50.0.96.10.in-addr.arpa. IN PTR nginx.default.svc.cluster.local.']);
  const missing = await dig('127.0.0.20', port, ['nope.default.svc.cluster.local', 'A']);
  assert.equal(missing.status, 'NXDOMAIN');

  // An external name goes straight to the upstream, never through the cluster DNS.
  const external = await dig('127.0.0.20', port, ['www.example.com', 'A']);
  assert.deepEqual(rdata(external), [`www.example.com. IN A ${EXTERNAL_IP}`]);
  assert.ok(run.upstream.seen.includes('A www.example.com.'));
  assert.equal(
    logLines(clusterOut(), 'www.example.com.', 'udp') + logLines(clusterOut(), 'www.example.com.', 'tcp'),
    0,
  );
}

/** NodeLocal DNSCache's HTTP endpoints, after {@link nodeLocalAnswers}. */
async function nodeLocalOperations(run: Running, port: number, http: { health: number; metrics: number }) {
  assert.deepEqual(await until200(`http://127.0.0.20:${http.health}/health`), { status: 200, body: 'OK' });
  const metrics = await get(`http://127.0.0.20:${http.metrics}/metrics`);
  assert.equal(metrics.status, 200);
  assert.ok(
    counter(metrics.body, 'coredns_dns_requests_total', { server: `dns://127.0.0.20:${port}` }) >= 1,
    metrics.body,
  );
  assert.ok(counter(metrics.body, 'coredns_forward_requests_total') >= 2);
  // Labelled per bound address, as CoreDNS labels each `bind` address's server.
  assert.ok(counter(metrics.body, 'coredns_cache_hits_total', { server: `dns://127.0.0.20:${port}` }) >= 1);
  assert.ok(counter(metrics.body, 'coredns_cache_hits_total', { server: `dns://127.0.0.21:${port}` }) >= 1);
  assert.ok(counter(metrics.body, 'coredns_cache_misses_total') >= 1);
  assert.equal(run.nodeLocal?.child.exitCode, null);
  assert.doesNotMatch(run.nodeLocal?.output() ?? '', /Loop \(/);
}

async function startCluster(run: Running) {
  const [dns, health, ready, metrics] = await Promise.all([
    freeUdpPort('127.0.0.1'),
    freeTcpPort('127.0.0.1'),
    freeTcpPort('127.0.0.1'),
    freeTcpPort('127.0.0.1'),
  ]);
  const { seed, text } = clusterCorefile({ dns, health, ready, metrics, upstream: run.upstream.address });
  assert.deepEqual(changedLines(seed, text), [
    ['.:53 {', `.:${dns} {`],
    ['health {', `health 127.0.0.1:${health} {`],
    ['ready', `ready 127.0.0.1:${ready}`],
    ['prometheus :9153', `prometheus 127.0.0.1:${metrics}`],
    ['forward . /etc/resolv.conf', `forward . ${run.upstream.address}`],
  ]);
  run.cluster = await startCli(run.dir, text, dns, run.kubeconfig);
  return { port: dns, http: { health, ready, metrics } };
}

async function startNodeLocal(run: Running, clusterPort: number) {
  const [dns, health, metrics] = await Promise.all([
    freeUdpPort('127.0.0.20'),
    freeTcpPort('127.0.0.20'),
    freeTcpPort('127.0.0.20'),
  ]);
  const cluster = `127.0.0.1:${clusterPort}`;
  const { seed, text } = nodeLocalCorefile({ dns, health, metrics, cluster, upstream: run.upstream.address });
  // Only addresses (and the cluster domain the install step fills in) differ from the ConfigMap.
  for (const [, after] of changedLines(seed, text)) {
    assert.match(
      after,
      /^(cluster\.local|in-addr\.arpa|ip6\.arpa|\.):\d+ \{$|^(bind|forward \.|prometheus|health) [\d.: ]+(\{)?$/,
    );
  }
  run.nodeLocal = await startCli(run.dir, text, dns, run.kubeconfig);
  return { port: dns, http: { health, metrics } };
}

describe('the cluster Corefiles under dnskit -conf, unchanged apart from addresses', () => {
  it('CoreDNS default Corefile and NodeLocal DNSCache answer through the API server and the upstream', async () => {
    const api = await startK8sApiServer({ token: TOKEN });
    seedCluster(api);
    const upstream = startUpstream();
    await upstream.server.listen();
    const address = `127.0.0.1:${upstream.server.addresses()[0]?.port ?? 0}`;
    const dir = mkdtempSync(join(tmpdir(), 'dnskit-seeds-'));
    const run: Running = {
      dir,
      api,
      upstream: { ...upstream, address },
      kubeconfig: writeKubeconfig(dir, api.url),
    };
    let codes: Array<number | null> = [];
    try {
      const cluster = await startCluster(run);
      // kubernetes has synced once /ready says OK (CoreDNS's readiness probe).
      const ready = await until200(`http://127.0.0.1:${cluster.http.ready}/ready`);
      assert.deepEqual(ready, { status: 200, body: 'OK' }, run.cluster?.output());
      await clusterAnswers(cluster.port);
      await clusterOperations(run, cluster.port, cluster.http);
      const nodeLocal = await startNodeLocal(run, cluster.port);
      await nodeLocalAnswers(run, nodeLocal.port);
      await nodeLocalOperations(run, nodeLocal.port, nodeLocal.http);
    } finally {
      // In parallel: the cluster DNS's `lameduck 5s` holds its exit for 5 s, as CoreDNS does.
      codes = await Promise.all([stopCli(run.cluster), stopCli(run.nodeLocal)]);
      await upstream.server.close();
      await api.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    // Both stopped cleanly on SIGTERM (checked after the finally, so a failure above is not masked).
    assert.deepEqual(codes, [0, 0]);
  });
});
