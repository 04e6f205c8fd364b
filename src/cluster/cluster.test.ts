import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { toEndpointSlice, toPod, toService } from './convert.js';
import { ipFromReverseName, reverseName } from './ip.js';
import { memoryCluster, memoryClusterFromPath } from './memory.js';
import { parseLabelSelector } from './selector.js';
import { createClusterStore } from './store.js';
import type { ClusterChange } from './types.js';

describe('cluster convert', () => {
  it('keeps what DNS needs of a dual-stack service, canonical IPs', () => {
    const service = toService({
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
      spec: {
        clusterIPs: ['10.0.0.1', '2001:DB8:0::1'],
        ports: [{ name: 'http', port: 80 }],
        externalIPs: ['192.0.2.1'],
      },
      status: { loadBalancer: { ingress: [{ ip: '198.51.100.1' }, { hostname: 'lb.example' }] } },
    });
    assert.deepEqual(service, {
      namespace: 'shop',
      name: 'web',
      type: 'ClusterIP',
      clusterIPs: ['10.0.0.1', '2001:db8::1'],
      headless: false,
      externalName: undefined,
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      publishNotReadyAddresses: false,
      labels: { app: 'web' },
      externalIPs: ['192.0.2.1'],
      ingress: [
        { ip: '198.51.100.1', hostname: undefined },
        { ip: undefined, hostname: 'lb.example' },
      ],
    });
  });

  it('reads headless and ExternalName services, slices, and pods (Date deletion timestamps too)', () => {
    assert.equal(toService({ metadata: { name: 'h' }, spec: { clusterIP: 'None' } })?.headless, true);
    assert.equal(
      toService({ metadata: { name: 'e' }, spec: { type: 'ExternalName', externalName: 'Example.COM' } })
        ?.externalName,
      'example.com.',
    );
    assert.equal(toService({ spec: {} }), undefined);
    const slice = toEndpointSlice({
      metadata: { name: 's', namespace: 'n', labels: { 'kubernetes.io/service-name': 'svc' } },
      addressType: 'IPv4',
      endpoints: [
        { addresses: ['10.1.1.1'], conditions: {}, hostname: 'h', targetRef: { kind: 'Pod', name: 'p' } },
        { addresses: [] },
      ],
    });
    assert.equal(slice?.service, 'svc');
    assert.deepEqual(slice?.endpoints, [
      {
        addresses: ['10.1.1.1'],
        ready: true,
        serving: true,
        terminating: false,
        hostname: 'h',
        podName: 'p',
        nodeName: undefined,
      },
    ]);
    const pod = toPod({
      metadata: { name: 'p', deletionTimestamp: new Date() },
      status: { podIP: '10.2.2.2' },
    });
    assert.deepEqual(pod, {
      namespace: 'default',
      name: 'p',
      ips: ['10.2.2.2'],
      phase: 'Pending',
      deleting: true,
    });
  });

  it('maps IPs to reverse names and back', () => {
    assert.equal(reverseName('10.0.0.1'), '1.0.0.10.in-addr.arpa.');
    assert.equal(ipFromReverseName('1.0.0.10.in-addr.arpa.'), '10.0.0.1');
    const v6 = reverseName('2001:db8::1');
    assert.equal(v6, '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.');
    assert.equal(ipFromReverseName(v6 as string), '2001:db8::1');
    assert.equal(ipFromReverseName('0.10.in-addr.arpa.'), undefined);
  });
});

describe('cluster store', () => {
  it('indexes by name, service, and IP, and unindexes on delete', () => {
    const store = createClusterStore();
    store.apply({
      kind: 'Service',
      metadata: { name: 'a', namespace: 'n' },
      spec: { clusterIP: '10.0.0.1' },
    });
    store.apply(
      {
        metadata: { name: 's', namespace: 'n', labels: { 'kubernetes.io/service-name': 'a' } },
        endpoints: [{ addresses: ['10.1.0.1'] }],
      },
      'EndpointSlice',
    );
    store.apply({ metadata: { name: 'p', namespace: 'n' }, status: { podIPs: [{ ip: '10.1.0.1' }] } }, 'Pod');
    assert.equal(store.service('n', 'a')?.clusterIPs[0], '10.0.0.1');
    assert.equal(store.servicesByIP('10.0.0.1')[0]?.name, 'a');
    assert.equal(store.endpointSlices('n', 'a').length, 1);
    assert.equal(store.endpointsByIP('10.1.0.1')[0]?.slice.name, 's');
    assert.equal(store.podsByIP('10.1.0.1')[0]?.name, 'p');
    assert.equal(store.hasNamespace('n'), true);
    assert.equal(store.hasNamespace('m'), false);
    store.apply({
      kind: 'Service',
      metadata: { name: 'a', namespace: 'n' },
      spec: { clusterIP: '10.0.0.2' },
    });
    assert.deepEqual(store.servicesByIP('10.0.0.1'), []);
    assert.equal(store.delete('Service', 'n', 'a'), true);
    assert.equal(store.delete('Service', 'n', 'a'), false);
    assert.deepEqual(store.servicesByIP('10.0.0.2'), []);
    store.delete('EndpointSlice', 'n', 's');
    store.delete('Pod', 'n', 'p');
    assert.deepEqual(store.endpointsByIP('10.1.0.1'), []);
    assert.equal(store.hasNamespace('n'), false);
    assert.equal(store.count('Service'), 0);
  });

  it('replaceAll emits only what changed', () => {
    const store = createClusterStore();
    const svc = (name: string, ip: string) => ({
      metadata: { name, namespace: 'n' },
      spec: { clusterIP: ip },
    });
    store.replaceAll('Service', [svc('a', '10.0.0.1'), svc('b', '10.0.0.2')]);
    const changes: ClusterChange[] = [];
    store.on('change', (change) => changes.push(change));
    store.replaceAll('Service', [svc('a', '10.0.0.1'), svc('c', '10.0.0.3'), svc('b', '10.0.0.9')]);
    store.replaceAll('Service', [svc('c', '10.0.0.3')]);
    assert.deepEqual(
      changes.map((change) => `${change.type} ${change.name}`),
      ['added c', 'modified b', 'deleted a', 'deleted b'],
    );
  });
});

describe('memoryCluster', () => {
  it('loads YAML, builds objects, emits changes, and is synced at once', async () => {
    const cluster = memoryCluster(
      'kind: Service\nmetadata: { name: a, namespace: n }\nspec: { clusterIP: 10.0.0.1 }\n---\n',
    );
    const changes: string[] = [];
    cluster.on('change', (change) => changes.push(`${change.kind} ${change.type}`));
    let synced = false;
    cluster.on('synced', () => {
      synced = true;
    });
    await cluster.start();
    assert.equal(synced && cluster.synced(), true);
    cluster.service({
      name: 'b',
      namespace: 'n',
      clusterIPs: ['10.0.0.2', 'fd00::2'],
      ports: [{ name: 'http', port: 80 }],
    });
    cluster.endpoints({ service: 'b', namespace: 'n', endpoints: [{ ip: '10.1.0.2', hostname: 'x' }] });
    cluster.pod({ name: 'p', namespace: 'n', ip: '10.1.0.3' });
    cluster.namespace('n', { env: 'x' });
    assert.deepEqual(cluster.store.service('n', 'b')?.clusterIPs, ['10.0.0.2', 'fd00::2']);
    assert.equal(cluster.store.endpointsByIP('10.1.0.2')[0]?.endpoint.hostname, 'x');
    assert.equal(cluster.store.count('Service'), 2);
    assert.deepEqual(changes, ['Service added', 'EndpointSlice added', 'Pod added', 'Namespace added']);
    await cluster.stop();
  });

  it('loads a directory of manifests, kind: List included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dnskit-k8s-'));
    try {
      await writeFile(
        join(dir, 'a.yaml'),
        'kind: ServiceList\nitems:\n  - metadata: { name: a }\n    spec: { clusterIP: 10.0.0.1 }\n',
      );
      await writeFile(
        join(dir, 'b.json'),
        JSON.stringify({ kind: 'Pod', metadata: { name: 'p' }, status: { podIP: '10.1.0.1' } }),
      );
      await writeFile(join(dir, 'ignored.txt'), 'kind: Pod');
      const cluster = await memoryClusterFromPath(dir);
      assert.equal(cluster.store.service('default', 'a')?.clusterIPs[0], '10.0.0.1');
      assert.equal(cluster.store.count('Pod'), 1);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe('label selectors', () => {
  const cases: readonly [string, Record<string, string> | undefined, boolean][] = [
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'api' }, false],
    ['app!=web', undefined, true],
    ['env in (a, b),app', { env: 'b', app: 'x' }, true],
    ['env notin (a,b)', { env: 'a' }, false],
    ['!legacy', { legacy: 'yes' }, false],
    ['size>3', { size: '4' }, true],
    ['', undefined, true],
  ];
  for (const [text, labels, expected] of cases) {
    it(`${text || '(empty)'} on ${JSON.stringify(labels)}`, () => {
      assert.equal(parseLabelSelector(text).matches(labels), expected);
    });
  }
  it('rejects malformed selectors', () => {
    for (const text of ['app in (web', '=web', 'a=b=c', 'size>x', 'a,,b'])
      assert.throws(() => parseLabelSelector(text), Error, text);
  });
});
