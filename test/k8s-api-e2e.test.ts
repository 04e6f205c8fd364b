// End to end: a Corefile `kubernetes` block pointed at the test API server, queried with real dig
// over loopback, while the cluster changes underneath.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiCluster } from '../src/cluster/api/index.js';
import { silentLogger } from '../src/core/index.js';
import { createServer } from '../src/core/server.js';
import type { DnsServer } from '../src/core/types.js';
import { loadCorefile } from '../src/corefile/index.js';
import { builtinPlugins, kubernetes } from '../src/plugins/index.js';
import { createRegistry } from '../src/registry/index.js';
import { type DigResult, dig } from './helpers/dig.js';
import { type ApiObject, type K8sApiServer, startK8sApiServer } from './helpers/k8s-api-server.js';

const service = (namespace: string, name: string, ip: string): ApiObject => ({
  kind: 'Service',
  metadata: { name, namespace },
  spec: { type: 'ClusterIP', clusterIP: ip, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
});
const headlessSlice = (namespace: string, service: string, ips: string[]): ApiObject => ({
  kind: 'EndpointSlice',
  metadata: { name: `${service}-x1`, namespace, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
});

function seed(api: K8sApiServer): void {
  api.apply({ kind: 'Namespace', metadata: { name: 'default' } });
  api.apply({ kind: 'Namespace', metadata: { name: 'shop' } });
  api.apply(service('shop', 'web', '10.96.0.20'));
  api.apply({
    kind: 'Service',
    metadata: { name: 'db', namespace: 'shop' },
    spec: { clusterIP: 'None', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
  });
  api.apply(headlessSlice('shop', 'db', ['10.1.0.5', '10.1.0.6']));
}

/** Runs dig until the answer passes `check` (the watch is asynchronous), for at most 5 s. */
async function digUntil(port: number, args: string[], check: (r: DigResult) => boolean): Promise<DigResult> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const result = await dig('127.0.0.1', port, args);
    if (check(result) || Date.now() > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface MetricValue {
  readonly name: string;
  readonly labels: Readonly<Partial<Record<string, string | number>>>;
  readonly value: number;
}

/**
 * The first value that `pick` selects, polled for at most 5 s; for counters that settle once
 * every watch has connected, the value once it has stopped changing for 100 ms.
 */
async function metricUntil(
  read: () => Promise<MetricValue[]>,
  pick: (value: MetricValue) => boolean,
): Promise<MetricValue | undefined> {
  const deadline = Date.now() + 5000;
  let last: MetricValue | undefined;
  let stableSince = Date.now();
  for (;;) {
    const found = (await read()).find(pick);
    if (found?.value !== last?.value) stableSince = Date.now();
    last = found;
    if ((found !== undefined && Date.now() - stableSince >= 100) || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function closeAll(server: DnsServer | undefined, api: K8sApiServer): Promise<void> {
  await server?.close();
  await api.stop();
}

describe('kubernetes plugin over the API source, with dig', () => {
  it('answers dig from a Corefile and follows the cluster as it changes', async () => {
    const api = await startK8sApiServer();
    seed(api);
    const corefile = `.:0 {
  bind 127.0.0.1
  kubernetes cluster.local in-addr.arpa ip6.arpa {
    endpoint ${api.url}
    pods insecure
    fallthrough in-addr.arpa ip6.arpa
  }
}
`;
    const { blocks } = loadCorefile(corefile, { registry: createRegistry(builtinPlugins) });
    const server = createServer({ blocks, logger: silentLogger });
    try {
      await server.listen();
      const port = server.addresses()[0]?.port ?? 0;

      const web = await dig('127.0.0.1', port, ['web.shop.svc.cluster.local', 'A']);
      assert.equal(web.status, 'NOERROR');
      assert.ok(web.flags.includes('aa'));
      assert.deepEqual(web.answers, ['web.shop.svc.cluster.local. 5 IN A 10.96.0.20']);
      const missing = await dig('127.0.0.1', port, ['nope.shop.svc.cluster.local', 'A']);
      assert.equal(missing.status, 'NXDOMAIN');
      const db = await dig('127.0.0.1', port, ['db.shop.svc.cluster.local', 'A']);
      assert.deepEqual([...db.answers].sort(), [
        'db.shop.svc.cluster.local. 5 IN A 10.1.0.5',
        'db.shop.svc.cluster.local. 5 IN A 10.1.0.6',
      ]);
      const ptr = await dig('127.0.0.1', port, ['-x', '10.96.0.20']);
      assert.deepEqual(ptr.answers, ['20.0.96.10.in-addr.arpa. 5 IN PTR web.shop.svc.cluster.local.']);
      const podA = await dig('127.0.0.1', port, ['10-1-0-9.shop.pod.cluster.local', 'A']);
      assert.deepEqual(podA.answers, ['10-1-0-9.shop.pod.cluster.local. 5 IN A 10.1.0.9']);

      api.apply(service('shop', 'cart', '10.96.0.30'));
      const cart = await digUntil(port, ['cart.shop.svc.cluster.local', 'A'], (r) => r.answers.length > 0);
      assert.deepEqual(cart.answers, ['cart.shop.svc.cluster.local. 5 IN A 10.96.0.30']);

      api.apply(service('shop', 'web', '10.96.0.21'));
      const moved = await digUntil(port, ['web.shop.svc.cluster.local', 'A'], (r) =>
        r.answers.some((a) => a.endsWith('10.96.0.21')),
      );
      assert.deepEqual(moved.answers, ['web.shop.svc.cluster.local. 5 IN A 10.96.0.21']);

      api.apply(headlessSlice('shop', 'db', ['10.1.0.7']));
      const db2 = await digUntil(port, ['db.shop.svc.cluster.local', 'A'], (r) => r.answers.length === 1);
      assert.deepEqual(db2.answers, ['db.shop.svc.cluster.local. 5 IN A 10.1.0.7']);

      // Deleted while the watch was down and the history compacted: the relist removes it.
      api.pauseWatches();
      api.dropWatches();
      api.delete('Service', 'shop', 'cart');
      api.expireHistory();
      api.resumeWatches();
      const gone = await digUntil(port, ['cart.shop.svc.cluster.local', 'A'], (r) => r.status === 'NXDOMAIN');
      assert.equal(gone.status, 'NXDOMAIN');
    } finally {
      await closeAll(server, api);
    }
  });

  it('answers SERVFAIL while the API server is down at start, then recovers', async () => {
    const api = await startK8sApiServer();
    seed(api);
    await api.stop();
    const source = apiCluster({
      endpoint: api.url,
      watchPods: false,
      backoff: { initialMs: 20, maxMs: 100 },
    });
    const server = createServer({
      zones: ['cluster.local'],
      plugins: [kubernetes({ cluster: source, zones: ['cluster.local'], syncWaitMs: 0 })],
      listen: ['127.0.0.1'],
      port: 0,
      logger: silentLogger,
    });
    try {
      await server.listen();
      const port = server.addresses()[0]?.port ?? 0;
      const down = await dig('127.0.0.1', port, ['web.shop.svc.cluster.local', 'A']);
      assert.equal(down.status, 'SERVFAIL');
      assert.equal(server.ready(), false);
      await api.start();
      const up = await digUntil(port, ['web.shop.svc.cluster.local', 'A'], (r) => r.status === 'NOERROR');
      assert.deepEqual(up.answers, ['web.shop.svc.cluster.local. 5 IN A 10.96.0.20']);
      // Ready once every kind is listed; the kinds list one after another, services may come first.
      const deadline = Date.now() + 5000;
      while (!server.ready() && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(server.ready(), true);
    } finally {
      await closeAll(server, api);
    }
  });
  it("exports CoreDNS's kubernetes metrics: API requests, and DNS programming latency of headless services", async () => {
    const trigger = (ago: number) => ({
      'endpoints.kubernetes.io/last-change-trigger-time': new Date(Date.now() - ago).toISOString(),
    });
    const api = await startK8sApiServer();
    seed(api);
    // Listed, not watched: its trigger time is history, not a programming delay.
    const listed = headlessSlice('shop', 'db', ['10.1.0.5']);
    api.apply({ ...listed, metadata: { ...listed.metadata, annotations: trigger(60_000) } });
    const corefile = `.:0 {
  bind 127.0.0.1
  kubernetes cluster.local {
    endpoint ${api.url}
  }
}
`;
    const { blocks } = loadCorefile(corefile, { registry: createRegistry(builtinPlugins) });
    const server = createServer({ blocks, logger: silentLogger });
    const values = async (name: string): Promise<MetricValue[]> =>
      ((await server.metrics.getSingleMetric(name)?.get())?.values ?? []).map((v) => ({
        name: (v as { metricName?: string }).metricName ?? name,
        labels: v.labels,
        value: v.value,
      }));
    try {
      await server.listen();
      const port = server.addresses()[0]?.port ?? 0;
      const host = new URL(api.url).host;
      const requests = (code: string) =>
        metricUntil(
          () => values('coredns_kubernetes_rest_client_requests_total'),
          (v) => v.labels.code === code,
        );
      // A list per kind (namespaces, services, slices), then a watch per kind (the last watches
      // may still be connecting when the server is ready).
      const ok = await requests('200');
      assert.deepEqual(ok?.labels, { code: '200', method: 'GET', host });
      assert.equal(ok?.value, 6);

      // A ClusterIP service's slice is not measured (its answer does not depend on endpoints); a
      // headless one is, from the trigger time. Both come on the slice watch, in this order.
      const web = headlessSlice('shop', 'web', ['10.1.0.1']);
      api.apply({ ...web, metadata: { ...web.metadata, annotations: trigger(5000) } });
      // A trigger time that is not RFC 3339 is ignored, not observed as a bogus delay.
      const garbled = headlessSlice('shop', 'db', ['10.1.0.9']);
      api.apply({
        ...garbled,
        metadata: {
          ...garbled.metadata,
          annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': 'soon' },
        },
      });
      await digUntil(port, ['db.shop.svc.cluster.local', 'A'], (r) =>
        r.answers.some((a) => a.endsWith('10.1.0.9')),
      );
      const db = headlessSlice('shop', 'db', ['10.1.0.8']);
      api.apply({ ...db, metadata: { ...db.metadata, annotations: trigger(300) } });
      await digUntil(port, ['db.shop.svc.cluster.local', 'A'], (r) => r.answers.length === 1);
      const programming = await values('coredns_kubernetes_dns_programming_duration_seconds');
      const count = programming.find((v) => v.name.endsWith('_count'));
      const sum = programming.find((v) => v.name.endsWith('_sum'));
      assert.deepEqual(count?.labels, { service_kind: 'headless_with_selector' });
      assert.equal(count?.value, 1);
      assert.ok((sum?.value ?? 0) >= 0.3 && (sum?.value ?? 0) < 5, `sum ${sum?.value}`);

      // A watch that reconnects into an error is counted with its status.
      api.failNextRequests(1, 500);
      api.dropWatches();
      assert.equal((await requests('500'))?.value, 1);
      const latency = await values('coredns_kubernetes_rest_client_request_duration_seconds');
      assert.ok(latency.some((v) => v.name.endsWith('_count') && v.labels.verb === 'GET' && v.value >= 7));
    } finally {
      await closeAll(server, api);
    }
  });
});
