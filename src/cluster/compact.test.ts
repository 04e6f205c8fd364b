import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactPod, compactSlice, ipv4Number, ipv4Text, podView, sliceView } from './compact.js';
import { toEndpointSlice, toPod } from './convert.js';
import { createClusterStore } from './store.js';
import type { ClusterChange, EndpointSliceRecord, KubernetesObject } from './types.js';

const sliceObject = (name: string, addressType: string, endpoints: unknown[]): KubernetesObject => ({
  kind: 'EndpointSlice',
  metadata: { name, namespace: 'n', labels: { 'kubernetes.io/service-name': 'svc' } },
  addressType,
  endpoints,
  ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
});

const mixed = sliceObject('mixed', 'IPv4', [
  { addresses: ['10.1.0.1'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'p1' } },
  { addresses: ['192.168.255.254'], conditions: { ready: false, serving: true, terminating: true } },
  { addresses: ['10.1.0.3'], hostname: 'h3', nodeName: 'node-a', conditions: { serving: false } },
]);

describe('compact cluster records', () => {
  it('converts IPv4 text to numbers and back, canonical text only', () => {
    assert.equal(ipv4Number('255.255.255.255'), 2 ** 32 - 1);
    assert.equal(ipv4Text(ipv4Number('192.168.0.10') as number), '192.168.0.10');
    assert.equal(ipv4Number('010.0.0.1'), undefined);
    assert.equal(ipv4Number('256.0.0.1'), undefined);
    assert.equal(ipv4Number('fd00::1'), undefined);
  });

  it('gives back exactly the records it was built from', () => {
    const cases: KubernetesObject[] = [
      mixed,
      sliceObject('v6', 'IPv6', [{ addresses: ['fd00::1'] }, { addresses: ['fd00::2'], hostname: 'b' }]),
      sliceObject('multi', 'IPv4', [{ addresses: ['10.2.0.1', '10.2.0.2'] }, { addresses: ['10.2.0.3'] }]),
      sliceObject('fqdn', 'FQDN', [{ addresses: ['a.example.com'] }]),
      sliceObject('empty', 'IPv4', []),
    ];
    for (const object of cases) {
      const record = toEndpointSlice(object) as EndpointSliceRecord;
      assert.deepEqual(sliceView(compactSlice(record)), record);
    }
    for (const ips of [['10.3.0.1'], ['200.3.0.1'], ['10.3.0.1', 'fd00::3'], []]) {
      const pod = toPod({ metadata: { name: 'p' }, status: { podIPs: ips.map((ip) => ({ ip })) } });
      assert.ok(pod);
      assert.deepEqual(podView(compactPod(pod)), pod);
    }
  });

  it('finds endpoints and pods by any address, and forgets them on delete', () => {
    const store = createClusterStore();
    store.apply(mixed);
    store.apply(sliceObject('v6', 'IPv6', [{ addresses: ['fd00::1'], targetRef: { name: 'p6' } }]));
    store.apply({ metadata: { name: 'p', namespace: 'n' }, status: { podIP: '192.168.1.1' } }, 'Pod');
    const hit = store.endpointsByIP('192.168.255.254');
    assert.equal(hit.length, 1);
    assert.deepEqual(hit[0]?.endpoint, {
      addresses: ['192.168.255.254'],
      ready: false,
      serving: true,
      terminating: true,
      hostname: undefined,
      podName: undefined,
      nodeName: undefined,
    });
    assert.equal(hit[0]?.slice.endpoints.includes(hit[0].endpoint), true);
    assert.equal(store.endpointsByIP('10.1.0.3')[0]?.endpoint.nodeName, 'node-a');
    assert.equal(store.endpointsByIP('fd00::1')[0]?.endpoint.podName, 'p6');
    assert.deepEqual(store.endpointsByIP('10.1.0.2'), []);
    assert.deepEqual(store.podsByIP('192.168.1.1')[0]?.ips, ['192.168.1.1']);
    assert.equal(store.endpointSlices('n', 'svc').length, 2);
    store.delete('EndpointSlice', 'n', 'mixed');
    store.delete('Pod', 'n', 'p');
    assert.deepEqual(store.endpointsByIP('192.168.255.254'), []);
    assert.deepEqual(store.podsByIP('192.168.1.1'), []);
    assert.equal(store.endpointSlices('n', 'svc').length, 1);
  });

  it('relists without change events for unchanged compact records', () => {
    const store = createClusterStore();
    const pod = { kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, status: { podIP: '10.9.0.1' } };
    store.replaceAll('EndpointSlice', [mixed]);
    store.replaceAll('Pod', [pod]);
    const changes: ClusterChange[] = [];
    store.on('change', (change) => changes.push(change));
    store.replaceAll('EndpointSlice', [mixed]);
    store.replaceAll('Pod', [pod]);
    assert.deepEqual(changes, []);
    store.replaceAll('Pod', [{ ...pod, status: { podIP: '10.9.0.2' } }]);
    assert.deepEqual(changes, [{ kind: 'Pod', type: 'modified', namespace: 'n', name: 'p' }]);
    assert.deepEqual(store.podsByIP('10.9.0.1'), []);
  });
});
