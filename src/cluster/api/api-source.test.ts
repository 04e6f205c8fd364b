import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ApiObject,
  type K8sApiServer,
  startK8sApiServer,
} from '../../../test/helpers/k8s-api-server.js';
import { recordingLogger } from '../../plugin-kit/test-helpers.js';
import type { ClusterSource } from '../types.js';
import { type ApiSourceOptions, apiCluster, backoffDelay } from './index.js';

/** Polls a condition (the watch is asynchronous) for at most `ms`. */
async function until(what: string, condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const ns = (name: string, labels?: Record<string, string>): ApiObject => ({
  kind: 'Namespace',
  metadata: { name, ...(labels ? { labels } : {}) },
});
const svc = (namespace: string, name: string, ip: string, labels?: Record<string, string>): ApiObject => ({
  kind: 'Service',
  metadata: { name, namespace, ...(labels ? { labels } : {}) },
  spec: { type: 'ClusterIP', clusterIP: ip, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
});
const slice = (namespace: string, name: string, service: string, ips: string[]): ApiObject => ({
  kind: 'EndpointSlice',
  metadata: { name, namespace, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
});
const pod = (namespace: string, name: string, ip: string, phase = 'Running'): ApiObject => ({
  kind: 'Pod',
  metadata: { name, namespace },
  status: { phase, podIP: ip, podIPs: [{ ip }] },
});

async function withCluster(
  options: Partial<ApiSourceOptions> & { token?: string; goneAs?: 'event' | 'status' },
  body: (server: K8sApiServer, source: ClusterSource, errors: Error[]) => Promise<void>,
  seed: (server: K8sApiServer) => void = () => undefined,
): Promise<void> {
  const server = await startK8sApiServer({
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.goneAs !== undefined ? { goneAs: options.goneAs } : {}),
  });
  seed(server);
  const { goneAs: _goneAs, ...sourceOptions } = options;
  const source = apiCluster({
    endpoint: server.url,
    watchPods: true,
    backoff: { initialMs: 10, maxMs: 100 },
    ...sourceOptions,
  });
  const errors: Error[] = [];
  source.on('error', (error) => errors.push(error));
  try {
    await body(server, source, errors);
  } finally {
    await source.stop();
    await server.stop();
  }
}

function seedBasics(server: K8sApiServer): void {
  server.apply(ns('default'));
  server.apply(ns('apps'));
  server.apply(svc('apps', 'web', '10.96.0.10'));
  server.apply(slice('apps', 'web-abc', 'web', ['10.1.0.1', '10.1.0.2']));
  server.apply(pod('apps', 'web-0', '10.1.0.1'));
}

describe('apiCluster over the real client against a test API server', () => {
  it('lists every kind once, then reports synced', async () => {
    await withCluster(
      {},
      async (server, source) => {
        let syncedEvents = 0;
        source.on('synced', () => syncedEvents++);
        assert.equal(source.synced(), false);
        await source.start();
        await until('synced', () => source.synced());
        const { store } = source;
        assert.equal(syncedEvents, 1);
        assert.deepEqual(store.service('apps', 'web')?.clusterIPs, ['10.96.0.10']);
        assert.deepEqual(
          store.endpointSlices('apps', 'web')[0]?.endpoints.map((e) => e.addresses[0]),
          ['10.1.0.1', '10.1.0.2'],
        );
        assert.deepEqual(store.pod('apps', 'web-0')?.ips, ['10.1.0.1']);
        assert.ok(store.namespace('apps'));
        const podList = server.requests.find((r) => r.kind === 'Pod' && !r.watch);
        assert.match(podList?.query.fieldSelector ?? '', /status\.phase!=Succeeded/);
        await until('four watches', () => server.openWatches === 4);
      },
      seedBasics,
    );
  });

  it('does not watch pods without watchPods', async () => {
    await withCluster({ watchPods: false }, async (server, source) => {
      await source.start();
      await until('synced', () => source.synced());
      assert.equal(
        server.requests.some((r) => r.kind === 'Pod'),
        false,
      );
    });
  });

  it('propagates adds, updates and deletes of every kind', async () => {
    await withCluster(
      {},
      async (server, source) => {
        const { store } = source;
        const changes: string[] = [];
        source.on('change', (c) => changes.push(`${c.type} ${c.kind} ${c.namespace}/${c.name}`));
        await source.start();
        await until('synced', () => source.synced());

        server.apply(ns('team'));
        server.apply(svc('team', 'api', '10.96.1.1'));
        server.apply(slice('team', 'api-1', 'api', ['10.2.0.1']));
        server.apply(pod('team', 'api-0', '10.2.0.1'));
        await until('adds', () => store.pod('team', 'api-0') !== undefined);
        assert.ok(store.namespace('team'));
        assert.deepEqual(store.service('team', 'api')?.clusterIPs, ['10.96.1.1']);
        assert.equal(store.endpointSlices('team', 'api').length, 1);

        server.apply(ns('team', { env: 'prod' }));
        server.apply(svc('team', 'api', '10.96.1.2'));
        server.apply(slice('team', 'api-1', 'api', ['10.2.0.7', '10.2.0.8']));
        server.apply(pod('team', 'api-0', '10.2.0.9'));
        await until('updates', () => store.pod('team', 'api-0')?.ips[0] === '10.2.0.9');
        assert.deepEqual(store.namespace('team')?.labels, { env: 'prod' });
        assert.deepEqual(store.service('team', 'api')?.clusterIPs, ['10.96.1.2']);
        assert.equal(store.endpointSlices('team', 'api')[0]?.endpoints.length, 2);
        assert.deepEqual(store.servicesByIP('10.96.1.1'), []);

        server.delete('Service', 'team', 'api');
        server.delete('EndpointSlice', 'team', 'api-1');
        server.delete('Pod', 'team', 'api-0');
        server.delete('Namespace', '', 'team');
        await until('deletes', () => store.namespace('team') === undefined);
        assert.equal(store.service('team', 'api'), undefined);
        assert.equal(store.endpointSlices('team', 'api').length, 0);
        assert.equal(store.pod('team', 'api-0'), undefined);
        assert.ok(changes.includes('deleted Service team/api'));
        assert.ok(changes.includes('modified Pod team/api-0'));
      },
      seedBasics,
    );
  });

  it('resumes from its resourceVersion after a clean watch drop', async () => {
    await withCluster(
      {},
      async (server, source, errors) => {
        await source.start();
        await until('synced', () => source.synced());
        await until('watches', () => server.openWatches === 4);
        const lists = server.requests.filter((r) => !r.watch).length;
        server.dropWatches();
        server.apply(svc('apps', 'late', '10.96.0.20'));
        await until('late service', () => source.store.service('apps', 'late') !== undefined);
        await until('watches again', () => server.openWatches === 4);
        const resumed = server.requests.filter((r) => r.watch && r.kind === 'Service').at(-1);
        assert.notEqual(resumed?.query.resourceVersion, undefined);
        assert.equal(server.requests.filter((r) => !r.watch).length, lists, 'no relist on a clean drop');
        assert.deepEqual(errors, []);
      },
      seedBasics,
    );
  });

  it('restarts the informer after a connection reset and reports the error', async () => {
    await withCluster(
      {},
      async (server, source, errors) => {
        await source.start();
        await until('synced', () => source.synced());
        await until('watches', () => server.openWatches === 4);
        server.dropWatches({ abrupt: true });
        server.apply(svc('apps', 'after-reset', '10.96.0.21'));
        await until('after-reset', () => source.store.service('apps', 'after-reset') !== undefined);
        assert.ok(errors.length > 0);
        assert.match(errors[0]?.message ?? '', /list\/watch failed.*retrying in \d+ ms/);
      },
      seedBasics,
    );
  });

  for (const goneAs of ['event', 'status'] as const) {
    it(`relists on 410 Gone (${goneAs}): objects deleted while disconnected disappear`, async () => {
      await withCluster(
        { goneAs },
        async (server, source) => {
          const { store } = source;
          const changes: string[] = [];
          source.on('change', (c) => changes.push(`${c.type} ${c.kind} ${c.namespace}/${c.name}`));
          await source.start();
          await until('synced', () => source.synced());
          await until('watches', () => server.openWatches === 4);
          // The list's own per-object callbacks are not applied a second time.
          assert.equal(changes.length, 5);
          changes.length = 0;
          server.pauseWatches();
          server.dropWatches();
          server.delete('Service', 'apps', 'web');
          server.delete('Pod', 'apps', 'web-0');
          server.apply(svc('apps', 'fresh', '10.96.0.30'));
          server.expireHistory();
          server.resumeWatches();
          await until('relist', () => store.service('apps', 'fresh') !== undefined);
          await until('web gone', () => store.service('apps', 'web') === undefined);
          await until('pod gone', () => store.pod('apps', 'web-0') === undefined);
          assert.equal(store.count('Service'), 1);
          await until('watches', () => server.openWatches === 4);
          // Only what differs from the new lists changed.
          assert.deepEqual(changes.sort(), [
            'added Service apps/fresh',
            'deleted Pod apps/web-0',
            'deleted Service apps/web',
          ]);
        },
        seedBasics,
      );
    });
  }

  it('keeps retrying while the API server is down, then syncs', async () => {
    const server = await startK8sApiServer();
    seedBasics(server);
    await server.stop();
    const source = apiCluster({
      endpoint: server.url,
      watchPods: false,
      backoff: { initialMs: 10, maxMs: 50 },
    });
    const errors: Error[] = [];
    source.on('error', (error) => errors.push(error));
    try {
      await source.start();
      await until('several failures', () => errors.length >= 6);
      assert.equal(source.synced(), false);
      assert.match(errors[0]?.message ?? '', /ECONNREFUSED|connect/);
      await server.start();
      await until('synced', () => source.synced());
      assert.deepEqual(source.store.service('apps', 'web')?.clusterIPs, ['10.96.0.10']);
      // Down again after sync: the store keeps serving what it has, and catches up when back.
      await server.stop();
      server.delete('Service', 'apps', 'web');
      await server.start();
      await until('web gone after restart', () => source.store.service('apps', 'web') === undefined);
      assert.equal(source.synced(), true);
    } finally {
      await source.stop();
      await server.stop();
    }
  });

  it('sends label selectors to the server and follows objects in and out of them', async () => {
    await withCluster(
      { labelSelector: 'app in (dns,web),tier!=legacy', namespaceLabelSelector: 'dns=exposed' },
      async (server, source) => {
        const { store } = source;
        await source.start();
        await until('synced', () => source.synced());
        assert.ok(store.service('apps', 'a'));
        assert.equal(store.service('apps', 'b'), undefined);
        assert.equal(store.service('apps', 'c'), undefined);
        assert.ok(store.namespace('apps'));
        assert.equal(store.namespace('hidden'), undefined);
        const serviceList = server.requests.find((r) => r.kind === 'Service' && !r.watch);
        assert.equal(serviceList?.query.labelSelector, 'app in (dns,web),tier!=legacy');
        const watch = server.requests.find((r) => r.kind === 'Namespace' && r.watch);
        assert.equal(watch?.query.labelSelector, 'dns=exposed');

        server.apply(svc('apps', 'a', '10.96.2.1', { app: 'web', tier: 'legacy' }));
        server.apply(svc('apps', 'b', '10.96.2.2', { app: 'dns' }));
        server.apply(ns('hidden', { dns: 'exposed' }));
        await until('b in', () => store.service('apps', 'b') !== undefined);
        await until('a out', () => store.service('apps', 'a') === undefined);
        await until('hidden in', () => store.namespace('hidden') !== undefined);
      },
      (server) => {
        server.apply(ns('apps', { dns: 'exposed' }));
        server.apply(ns('hidden'));
        server.apply(svc('apps', 'a', '10.96.2.1', { app: 'web' }));
        server.apply(svc('apps', 'b', '10.96.2.2', { app: 'other' }));
        server.apply(svc('apps', 'c', '10.96.2.3'));
      },
    );
  });

  it('keeps only the namespaces of the namespaces filter', async () => {
    await withCluster(
      { namespaces: ['apps'] },
      async (server, source) => {
        const { store } = source;
        await source.start();
        await until('synced', () => source.synced());
        assert.ok(store.service('apps', 'web'));
        assert.equal(store.service('other', 'db'), undefined);
        assert.equal(store.namespace('other'), undefined);
        server.apply(svc('other', 'db2', '10.96.3.2'));
        server.apply(svc('apps', 'web2', '10.96.3.3'));
        await until('web2', () => store.service('apps', 'web2') !== undefined);
        assert.equal(store.service('other', 'db2'), undefined);
      },
      (server) => {
        seedBasics(server);
        server.apply(ns('other'));
        server.apply(svc('other', 'db', '10.96.3.1'));
      },
    );
  });

  it('authenticates with the bearer token, and keeps failing without it', async () => {
    await withCluster(
      { token: 's3cret' },
      async (server, source) => {
        await source.start();
        await until('synced', () => source.synced());
        assert.ok(server.requests.every((r) => r.authorization === 'Bearer s3cret'));
      },
      seedBasics,
    );
    const server = await startK8sApiServer({ token: 's3cret' });
    const source = apiCluster({
      endpoint: server.url,
      token: 'wrong',
      watchPods: false,
      backoff: { initialMs: 10, maxMs: 40 },
    });
    const errors: Error[] = [];
    source.on('error', (error) => errors.push(error));
    try {
      await source.start();
      await until('retries', () => errors.length >= 6);
      assert.equal(source.synced(), false);
      assert.match(errors[0]?.message ?? '', /401/);
    } finally {
      await source.stop();
      await server.stop();
    }
  });

  it('relists every resyncMs, repairing drift', async () => {
    await withCluster(
      { resyncMs: 60 },
      async (server, source) => {
        await source.start();
        await until('synced', () => source.synced());
        source.store.delete('Service', 'apps', 'web');
        await until('repaired', () => source.store.service('apps', 'web') !== undefined);
        await until(
          'relisted',
          () => server.requests.filter((r) => r.kind === 'Service' && !r.watch).length >= 2,
        );
      },
      seedBasics,
    );
  });

  it('stops cleanly: no watch left open, no further requests', async () => {
    await withCluster(
      {},
      async (server, source, errors) => {
        await source.start();
        await until('watches', () => server.openWatches === 4);
        await source.stop();
        await until('watches closed', () => server.openWatches === 0);
        const seen = server.requests.length;
        server.dropWatches();
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(server.requests.length, seen);
        assert.deepEqual(errors, []);
      },
      seedBasics,
    );
  });

  it('lists one kind at a time; a kind that fails does not hold up the others', async () => {
    await withCluster(
      { backoff: { initialMs: 400, maxMs: 400 } },
      async (server, source, errors) => {
        server.failNextRequests(1, 403);
        await source.start();
        await until('synced', () => source.synced());
        const lists = server.requests.filter((r) => !r.watch).map((r) => r.kind);
        assert.equal(lists.length, 5);
        assert.equal(new Set(lists.slice(0, 4)).size, 4, 'the others listed while the first waited');
        assert.equal(lists[4], lists[0], 'then the failed kind was retried');
        assert.equal(errors.length, 1);
        assert.match(errors[0]?.message ?? '', /HTTP 403/);
      },
      seedBasics,
    );
  });

  it('opens no watch for a list that was in flight when it stopped', async () => {
    await withCluster(
      {},
      async (server, source, errors) => {
        server.pauseLists();
        await source.start();
        await until('the first list in flight', () => server.requests.length === 1);
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(server.requests.length, 1, 'the next kind waits for the first list');
        await source.stop();
        server.resumeWatches();
        await until('lists answered', () => server.openWatches === 0);
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(
          server.requests.some((r) => r.watch),
          false,
        );
        assert.equal(source.synced(), false);
        assert.equal(source.store.count('Service'), 0);
        assert.deepEqual(errors, []);
      },
      seedBasics,
    );
  });

  it('logs errors when nobody listens for them, once per failure', async () => {
    const server = await startK8sApiServer();
    await server.stop();
    const { logger, lines } = recordingLogger();
    const source = apiCluster({
      endpoint: server.url,
      watchPods: false,
      logger,
      backoff: { initialMs: 10, maxMs: 20 },
    });
    try {
      await source.start();
      await until('warnings', () => lines.filter((l) => l.startsWith('[WARNING]')).length >= 3);
      assert.match(
        lines.find((l) => l.startsWith('[WARNING]')) ?? '',
        /plugin\/kubernetes: \w+ list\/watch failed/,
      );
      assert.ok(lines.some((l) => l.startsWith('[INFO] plugin/kubernetes: watching http://127.0.0.1:')));
    } finally {
      await source.stop();
    }
  });

  it('rejects start() without any configuration outside a cluster', async () => {
    const saved = process.env.KUBERNETES_SERVICE_HOST;
    delete process.env.KUBERNETES_SERVICE_HOST;
    try {
      await assert.rejects(apiCluster({ watchPods: false }).start(), /not running in a cluster/);
    } finally {
      if (saved !== undefined) process.env.KUBERNETES_SERVICE_HOST = saved;
    }
  });
});

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap, with jitter in [50 %, 100 %]', () => {
    const low = { initialMs: 100, maxMs: 1000, random: () => 0 };
    const high = { initialMs: 100, maxMs: 1000, random: () => 0.999999 };
    assert.deepEqual(
      [0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, low)),
      [50, 100, 200, 400, 500, 500],
    );
    assert.deepEqual(
      [0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, high)),
      [100, 200, 400, 800, 1000, 1000],
    );
  });
});
