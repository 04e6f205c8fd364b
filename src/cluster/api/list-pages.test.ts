import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startK8sApiServer } from '../../../test/helpers/k8s-api-server.js';
import { openConnection } from './connection.js';
import { apiCluster } from './index.js';
import { splitList } from './list-items.js';

async function until(what: string, condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function items(body: string): { rest: unknown; items: unknown[] } | undefined {
  const split = splitList(body);
  if (split === undefined) return undefined;
  const parsed: unknown[] = [];
  for (let i = 0; i < split.items.length; i += 2) {
    parsed.push(JSON.parse(body.slice(split.items[i], split.items[i + 1])));
  }
  return { rest: JSON.parse(split.rest), items: parsed };
}

describe('splitList', () => {
  it('cuts the top-level items out, whatever their strings contain', () => {
    const list = {
      kind: 'ServiceList',
      metadata: { resourceVersion: '7', continue: 'abc', items: ['not these'] },
      items: [
        { metadata: { name: 'a', annotations: { x: '{"items":[1,2]}', y: 'quote " and \\ and ] }' } } },
        { metadata: { name: 'é☃', labels: { k: '[' } }, spec: { ports: [{ port: 1 }, { port: 2 }] } },
      ],
      trailer: [{ z: 1 }],
    };
    const split = items(JSON.stringify(list));
    assert.deepEqual(split?.items, list.items);
    assert.deepEqual(split?.rest, { ...list, items: [] });
  });

  it('handles an empty items array, and says when there is none', () => {
    assert.deepEqual(items('{"metadata":{"resourceVersion":"1"},"items":[]}'), {
      rest: { metadata: { resourceVersion: '1' }, items: [] },
      items: [],
    });
    assert.equal(items('{"kind":"Status","code":410}'), undefined);
    assert.equal(items('{"metadata":{"items":[{"a":1}]}}'), undefined);
  });
});

describe('paginated lists', () => {
  it('lists in pages of 500 with continue tokens, then watches from the list version', async () => {
    const server = await startK8sApiServer();
    for (let i = 0; i < 1100; i++) {
      server.apply({
        kind: 'Service',
        metadata: { name: `s${i}`, namespace: 'default' },
        spec: { clusterIP: `10.96.${i >> 8}.${i & 255}` },
      });
    }
    const source = apiCluster({ endpoint: server.url, watchPods: false });
    try {
      await source.start();
      await until('synced', () => source.synced());
      assert.equal(source.store.count('Service'), 1100);
      const lists = server.requests.filter((r) => r.kind === 'Service' && !r.watch);
      assert.deepEqual(
        lists.map((r) => [r.query.limit, r.query.continue !== undefined]),
        [
          ['500', false],
          ['500', true],
          ['500', true],
        ],
      );
      await until('watch', () => server.requests.some((r) => r.kind === 'Service' && r.watch));
      const watch = server.requests.find((r) => r.kind === 'Service' && r.watch);
      assert.equal(watch?.query.resourceVersion, String(server.resourceVersion));
    } finally {
      await source.stop();
      await server.stop();
    }
  });

  it('starts the list over when a continue token expired, and reports it after three tries', async () => {
    const server = await startK8sApiServer();
    for (let i = 0; i < 600; i++) {
      server.apply({
        kind: 'Pod',
        metadata: { name: `p${i}`, namespace: 'default' },
        status: { podIP: '10.1.0.1' },
      });
    }
    server.expireContinue = true;
    const source = apiCluster({
      endpoint: server.url,
      watchPods: true,
      backoff: { initialMs: 10, maxMs: 20 },
    });
    const errors: Error[] = [];
    source.on('error', (error) => errors.push(error));
    try {
      await source.start();
      await until('an error', () => errors.length > 0);
      assert.match(errors[0]?.message ?? '', /Pod list\/watch failed: HTTP 410/);
      const pages = server.requests.filter((r) => r.kind === 'Pod' && !r.watch);
      // First page, then 410 on its continue token, three times over, then the fourth: reported.
      assert.deepEqual(
        pages.slice(0, 8).map((r) => r.query.continue !== undefined),
        [false, true, false, true, false, true, false, true],
      );
      assert.equal(source.store.count('Pod'), 0, 'a list that never finished replaces nothing');
      server.expireContinue = false;
      await until('synced', () => source.synced());
      assert.equal(source.store.count('Pod'), 600);
    } finally {
      await source.stop();
      await server.stop();
    }
  });
});

describe('openConnection in a cluster', () => {
  it('uses the service host (bracketed when IPv6), the CA and the current token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnskit-sa-'));
    const saved = [process.env.KUBERNETES_SERVICE_HOST, process.env.KUBERNETES_SERVICE_PORT];
    try {
      writeFileSync(join(dir, 'token'), 'first\n');
      writeFileSync(join(dir, 'ca.crt'), 'not parsed until a TLS handshake');
      process.env.KUBERNETES_SERVICE_HOST = 'fd00::1';
      process.env.KUBERNETES_SERVICE_PORT = '443';
      const connection = await openConnection({ watchPods: false }, dir);
      assert.equal(connection.server, 'https://[fd00::1]:443');
      assert.equal(connection.origin, 'in-cluster');
      const first = await connection.settings(false);
      assert.equal(first.headers.authorization, 'Bearer first');
      first.agent.destroy();
      writeFileSync(join(dir, 'token'), 'rotated');
      const second = await connection.settings(false);
      assert.equal(second.headers.authorization, 'Bearer rotated');
      second.agent.destroy();
    } finally {
      if (saved[0] === undefined) delete process.env.KUBERNETES_SERVICE_HOST;
      else process.env.KUBERNETES_SERVICE_HOST = saved[0];
      if (saved[1] === undefined) delete process.env.KUBERNETES_SERVICE_PORT;
      else process.env.KUBERNETES_SERVICE_PORT = saved[1];
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
