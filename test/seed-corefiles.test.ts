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
  metadata: { name: `${service}-abc12`, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
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
  r.answers.map((a) => a.split(' ').filter((_, i) => i !== 1).join(' ')).sort();

/** The authority section's record types. */
const authorityTypes = (r: DigResult): string[] =>
  (/;; AUTHORITY SECTION:\n([\s\S]*?)\n\n/.exec(r.raw)?.[1] ?? '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/)[3] ?? '');

/** The seed Corefile with only its addresses changed. */
function clusterCorefile(p: { dns: number; health: number; ready: number; metrics: number; upstream: string }) {
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
function nodeLocalCorefile(p: { dns: number; health: number; metrics: number; cluster: string; upstream: string }) {
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
  return a.flatMap((line, i): Array<[string, string]> => (line === b[i] ? [] : [[line.trim(), (b[i] ?? '').trim()]]));
}

export { authorityTypes, changedLines, clusterCorefile, counter, nodeLocalCorefile, rdata, seedCluster, startCli };
export { startUpstream, stopCli, until200, writeKubeconfig, freeTcpPort, freeUdpPort, get, mkdtempSync, rmSync, tmpdir };
