import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { type MemoryCluster, memoryCluster } from '../src/cluster/memory.js';
import { createClusterStore } from '../src/cluster/store.js';
import type { ClusterSource } from '../src/cluster/types.js';
import type { DnsServer } from '../src/core/types.js';
import { type KubernetesOptions, kubernetes } from '../src/plugins/kubernetes/index.js';
import { answers, assertRcode, query, type Section, testServer } from '../src/testing/index.js';
import type { DnsMessage } from '../src/wire/types.js';

const FIXTURE = readFileSync(new URL('./fixtures/k8s/cluster.yaml', import.meta.url), 'utf8');
const ZONES = ['cluster.local.', 'in-addr.arpa.', 'ip6.arpa.'];
const servers: DnsServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

function serverWith(
  options: KubernetesOptions = {},
  cluster: MemoryCluster = memoryCluster(FIXTURE),
): DnsServer {
  const plugin = kubernetes({
    zones: ZONES,
    cluster,
    pods: 'verified',
    localIPs: ['172.0.1.53'],
    ...options,
  });
  const next = (ctx: { reply(init: { rcode: string }): void }): void => ctx.reply({ rcode: 'REFUSED' });
  const server = testServer({ zones: ['.'], plugins: [plugin, { name: 'next', handle: next }] });
  servers.push(server);
  return server;
}

interface Case {
  readonly q: string;
  readonly type?: string;
  readonly rcode?: string;
  readonly answer?: readonly string[];
  readonly extra?: readonly string[];
}

function lines(response: DnsMessage, section: Section = 'answers'): string[] {
  return answers(response, section)
    .map((line) => line.split(/\s+/).join(' '))
    .sort();
}

async function check(server: DnsServer, item: Case): Promise<void> {
  const response = await server.exchange(query(item.q, item.type ?? 'A'));
  const label = `${item.q} ${item.type ?? 'A'}`;
  assert.equal(response.rcode, item.rcode ?? 'NOERROR', label);
  if (response.rcode === 'REFUSED') return;
  assert.equal(response.flags.aa, true, `${label} AA`);
  assert.deepEqual(lines(response), [...(item.answer ?? [])].sort(), label);
  if (item.extra !== undefined)
    assert.deepEqual(lines(response, 'additionals'), [...item.extra].sort(), `${label} additional`);
  if ((item.answer ?? []).length === 0) {
    // Negative answers carry the zone's SOA in AUTHORITY (RFC 2308 3).
    assert.match(
      lines(response, 'authorities')[0] ?? '',
      / IN SOA ns\.dns\.\S+ hostmaster\.\S+ \d+ 7200 1800 86400 \d+$/,
      `${label} SOA`,
    );
  }
}

async function table(server: DnsServer, cases: readonly Case[]): Promise<void> {
  for (const item of cases) await check(server, item);
}

const S = 'svc.cluster.local.';

describe('kubernetes synthesizer: services', () => {
  const server = serverWith();
  it('answers ClusterIP services, dual-stack, and ExternalName', () =>
    table(server, [
      { q: `svc1.testns.${S}`, answer: [`svc1.testns.${S} 5 IN A 10.0.0.1`] },
      { q: `SVC1.TestNS.${S}`, answer: [`SVC1.TestNS.${S} 5 IN A 10.0.0.1`] },
      { q: `svc1.testns.${S}`, type: 'AAAA' },
      { q: `dual.testns.${S}`, answer: [`dual.testns.${S} 5 IN A 10.0.0.6`] },
      { q: `dual.testns.${S}`, type: 'AAAA', answer: [`dual.testns.${S} 5 IN AAAA 1234:abcd::6`] },
      { q: `ext.testns.${S}`, answer: [`ext.testns.${S} 5 IN CNAME ext.interwebs.test.`] },
      { q: `ext.testns.${S}`, type: 'CNAME', answer: [`ext.testns.${S} 5 IN CNAME ext.interwebs.test.`] },
      { q: `ext.testns.${S}`, type: 'SRV' },
      { q: `svc1.testns.${S}`, type: 'CNAME' },
      {
        q: `extin.testns.${S}`,
        answer: [`extin.testns.${S} 5 IN CNAME svc1.testns.${S}`, `svc1.testns.${S} 5 IN A 10.0.0.1`],
      },
      { q: `extip.testns.${S}`, rcode: 'NXDOMAIN' },
      { q: `noports.testns.${S}`, answer: [`noports.testns.${S} 5 IN A 10.0.0.10`] },
      { q: `noports.testns.${S}`, type: 'SRV' },
      { q: `empty.testns.${S}`, answer: [`empty.testns.${S} 5 IN A 10.0.0.9`] },
    ]));

  it('answers headless services with published endpoints, and endpoint names', () =>
    table(server, [
      {
        q: `hdls1.testns.${S}`,
        answer: [`hdls1.testns.${S} 5 IN A 172.0.0.2`, `hdls1.testns.${S} 5 IN A 172.0.0.3`],
      },
      { q: `172-0-0-2.hdls1.testns.${S}`, answer: [`172-0-0-2.hdls1.testns.${S} 5 IN A 172.0.0.2`] },
      { q: `named-ep.hdls1.testns.${S}`, answer: [`named-ep.hdls1.testns.${S} 5 IN A 172.0.0.3`] },
      { q: `172-0-0-4.hdls1.testns.${S}`, rcode: 'NXDOMAIN' },
      { q: `pod-a.hdls1.testns.${S}`, rcode: 'NXDOMAIN' },
      { q: `hdls6.testns.${S}`, type: 'AAAA', answer: [`hdls6.testns.${S} 5 IN AAAA fd00::5`] },
      {
        q: `fd00--5.hdls6.testns.${S}`,
        type: 'AAAA',
        answer: [`fd00--5.hdls6.testns.${S} 5 IN AAAA fd00::5`],
      },
      { q: `notready.testns.${S}`, answer: [`notready.testns.${S} 5 IN A 172.0.0.5`] },
      { q: `172-0-0-11.web.testns.${S}`, answer: [`172-0-0-11.web.testns.${S} 5 IN A 172.0.0.11`] },
    ]));

  it('answers SRV for named ports, the bare service, and headless endpoints', () =>
    table(server, [
      {
        q: `_http._tcp.svc1.testns.${S}`,
        type: 'SRV',
        answer: [`_http._tcp.svc1.testns.${S} 5 IN SRV 0 100 80 svc1.testns.${S}`],
        extra: [`svc1.testns.${S} 5 IN A 10.0.0.1`],
      },
      {
        q: `svc1.testns.${S}`,
        type: 'SRV',
        answer: [
          `svc1.testns.${S} 5 IN SRV 0 50 80 svc1.testns.${S}`,
          `svc1.testns.${S} 5 IN SRV 0 50 53 svc1.testns.${S}`,
        ],
        extra: [`svc1.testns.${S} 5 IN A 10.0.0.1`],
      },
      {
        q: `_dns._udp.svc1.testns.${S}`,
        type: 'SRV',
        answer: [`_dns._udp.svc1.testns.${S} 5 IN SRV 0 100 53 svc1.testns.${S}`],
      },
      { q: `_http._udp.svc1.testns.${S}`, type: 'SRV', rcode: 'NXDOMAIN' },
      {
        q: `_http._tcp.hdls1.testns.${S}`,
        type: 'SRV',
        answer: [
          `_http._tcp.hdls1.testns.${S} 5 IN SRV 0 50 80 172-0-0-2.hdls1.testns.${S}`,
          `_http._tcp.hdls1.testns.${S} 5 IN SRV 0 50 80 named-ep.hdls1.testns.${S}`,
        ],
        extra: [
          `172-0-0-2.hdls1.testns.${S} 5 IN A 172.0.0.2`,
          `named-ep.hdls1.testns.${S} 5 IN A 172.0.0.3`,
        ],
      },
      {
        q: `dual.testns.${S}`,
        type: 'SRV',
        answer: [`dual.testns.${S} 5 IN SRV 0 50 80 dual.testns.${S}`],
        extra: [`dual.testns.${S} 5 IN A 10.0.0.6`, `dual.testns.${S} 5 IN AAAA 1234:abcd::6`],
      },
    ]));

  it('tells NXDOMAIN from NODATA as CoreDNS does', () =>
    table(server, [
      { q: 'cluster.local.' },
      { q: S },
      { q: 'pod.cluster.local.' },
      { q: `testns.${S}` },
      { q: `empty-ns.${S}` },
      { q: `nope.${S}`, rcode: 'NXDOMAIN' },
      { q: `missing.testns.${S}`, rcode: 'NXDOMAIN' },
      { q: `svc1.nope.${S}`, rcode: 'NXDOMAIN' },
      { q: 'svc1.testns.bogus.cluster.local.', rcode: 'NXDOMAIN' },
      { q: `a.b.c.svc1.testns.${S}`, rcode: 'NXDOMAIN' },
      { q: `_http.svc1.testns.${S}`, type: 'SRV', rcode: 'NXDOMAIN' },
      { q: `*.testns.${S}`, rcode: 'NXDOMAIN' },
      { q: `svc1.testns.${S}`, type: 'MX' },
      { q: `missing.testns.${S}`, type: 'HINFO', rcode: 'NXDOMAIN' },
      { q: `missing.testns.${S}`, type: 'TXT' },
      { q: `missing.testns.${S}`, type: 'NS' },
      { q: 'outside.example.', rcode: 'REFUSED' },
    ]));

  it('answers dns-version TXT, SOA at any name, and the apex NS with its own service', async () => {
    await table(server, [
      {
        q: 'dns-version.cluster.local.',
        type: 'TXT',
        answer: ['dns-version.cluster.local. 28800 IN TXT "1.1.0"'],
      },
      {
        q: 'cluster.local.',
        type: 'NS',
        answer: [`cluster.local. 5 IN NS kube-dns.kube-system.${S}`],
        extra: [`kube-dns.kube-system.${S} 5 IN A 10.96.0.10`],
      },
    ]);
    const soa = await server.exchange(query(`svc1.testns.${S}`, 'SOA'));
    assert.match(
      lines(soa)[0] ?? '',
      /^cluster\.local\. 5 IN SOA ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. \d+ 7200 1800 86400 5$/,
    );
  });

  it('falls back to ns.dns.<zone> with the local addresses when its own service is unknown', async () => {
    const other = serverWith({ localIPs: ['192.0.2.53', '2001:db8::53'] });
    await table(other, [
      { q: 'cluster.local.', type: 'NS', answer: ['cluster.local. 5 IN NS ns.dns.cluster.local.'] },
      { q: 'ns.dns.cluster.local.', answer: ['ns.dns.cluster.local. 5 IN A 192.0.2.53'] },
      { q: 'ns.dns.cluster.local.', type: 'AAAA', answer: ['ns.dns.cluster.local. 5 IN AAAA 2001:db8::53'] },
    ]);
  });
});

describe('kubernetes synthesizer: reverse and pods', () => {
  const server = serverWith();
  it('answers PTR for cluster IPs and endpoint addresses in the reverse zones', () =>
    table(server, [
      {
        q: '1.0.0.10.in-addr.arpa.',
        type: 'PTR',
        answer: [`1.0.0.10.in-addr.arpa. 5 IN PTR svc1.testns.${S}`],
      },
      {
        q: '2.0.0.172.in-addr.arpa.',
        type: 'PTR',
        answer: [`2.0.0.172.in-addr.arpa. 5 IN PTR 172-0-0-2.hdls1.testns.${S}`],
      },
      {
        q: '3.0.0.172.in-addr.arpa.',
        type: 'PTR',
        answer: [`3.0.0.172.in-addr.arpa. 5 IN PTR named-ep.hdls1.testns.${S}`],
      },
      {
        q: '6.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa.',
        type: 'PTR',
        answer: [
          `6.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa. 5 IN PTR dual.testns.${S}`,
        ],
      },
      { q: '4.0.0.172.in-addr.arpa.', type: 'PTR', rcode: 'NXDOMAIN' },
      { q: '9.9.9.9.in-addr.arpa.', type: 'PTR', rcode: 'NXDOMAIN' },
      { q: '0.10.in-addr.arpa.', type: 'PTR', rcode: 'NXDOMAIN' },
      { q: '1.0.0.10.in-addr.arpa.', rcode: 'NXDOMAIN' },
    ]));

  it('answers PTR only inside the plugin zones', async () => {
    const forwardOnly = testServer([
      kubernetes({ zones: ['cluster.local.'], cluster: memoryCluster(FIXTURE) }),
    ]);
    servers.push(forwardOnly);
    const response = await forwardOnly.exchange(query('1.0.0.10.in-addr.arpa.', 'PTR'));
    assert.equal(response.rcode, 'SERVFAIL', 'the query passes on to the end of the chain');
  });

  it('verifies pods by namespace and IP, IPv6 included', () =>
    table(server, [
      { q: 'pod.cluster.local.' },
      { q: 'testns.pod.cluster.local.' },
      {
        q: '10-244-0-7.testns.pod.cluster.local.',
        answer: ['10-244-0-7.testns.pod.cluster.local. 5 IN A 10.244.0.7'],
      },
      {
        q: 'fd00--7.testns.pod.cluster.local.',
        type: 'AAAA',
        answer: ['fd00--7.testns.pod.cluster.local. 5 IN AAAA fd00::7'],
      },
      { q: '10-244-0-7.other.pod.cluster.local.', rcode: 'NXDOMAIN' },
      { q: '10-244-0-8.testns.pod.cluster.local.', rcode: 'NXDOMAIN' },
      { q: '10-244-0-99.testns.pod.cluster.local.', rcode: 'NXDOMAIN' },
      { q: '10-244-0-7.nope.pod.cluster.local.', rcode: 'NXDOMAIN' },
    ]));

  it('answers any well-formed IP in insecure mode, and nothing when disabled', async () => {
    await table(serverWith({ pods: 'insecure' }), [
      {
        q: '1-2-3-4.testns.pod.cluster.local.',
        answer: ['1-2-3-4.testns.pod.cluster.local. 5 IN A 1.2.3.4'],
      },
      { q: '1-2-3-4.testns.pod.cluster.local.', type: 'AAAA' },
      {
        q: '2001-db8--1.testns.pod.cluster.local.',
        type: 'AAAA',
        answer: ['2001-db8--1.testns.pod.cluster.local. 5 IN AAAA 2001:db8::1'],
      },
      { q: '1-2-3-999.testns.pod.cluster.local.', rcode: 'NXDOMAIN' },
      { q: 'not-an-ip.testns.pod.cluster.local.', rcode: 'NXDOMAIN' },
      { q: '1-2-3-4.nope.pod.cluster.local.', rcode: 'NXDOMAIN' },
    ]);
    await table(serverWith({ pods: 'disabled' }), [
      { q: '10-244-0-7.testns.pod.cluster.local.', rcode: 'NXDOMAIN' },
    ]);
  });
});

describe('kubernetes synthesizer: options', () => {
  it('ttl sets record TTLs and the SOA minimum', () =>
    table(serverWith({ ttl: 30 }), [
      { q: `svc1.testns.${S}`, answer: [`svc1.testns.${S} 30 IN A 10.0.0.1`] },
    ]));

  it('endpoint_pod_names names endpoints after their pods', () =>
    table(serverWith({ endpointPodNames: true }), [
      { q: `pod-a.hdls1.testns.${S}`, answer: [`pod-a.hdls1.testns.${S} 5 IN A 172.0.0.2`] },
      { q: `172-0-0-2.hdls1.testns.${S}`, rcode: 'NXDOMAIN' },
      { q: `named-ep.hdls1.testns.${S}`, answer: [`named-ep.hdls1.testns.${S} 5 IN A 172.0.0.3`] },
      {
        q: '2.0.0.172.in-addr.arpa.',
        type: 'PTR',
        answer: [`2.0.0.172.in-addr.arpa. 5 IN PTR pod-a.hdls1.testns.${S}`],
      },
    ]));

  it('noendpoints makes headless services and endpoint names NXDOMAIN', () =>
    table(serverWith({ noEndpoints: true }), [
      { q: `hdls1.testns.${S}`, rcode: 'NXDOMAIN' },
      { q: `172-0-0-11.web.testns.${S}`, rcode: 'NXDOMAIN' },
      { q: `svc1.testns.${S}`, answer: [`svc1.testns.${S} 5 IN A 10.0.0.1`] },
    ]));

  it('ignore empty_service: NXDOMAIN for ClusterIP services without ready endpoints', () =>
    table(serverWith({ ignoreEmptyService: true }), [
      { q: `empty.testns.${S}`, rcode: 'NXDOMAIN' },
      { q: `web.testns.${S}`, answer: [`web.testns.${S} 5 IN A 10.0.0.11`] },
      { q: `ext.testns.${S}`, answer: [`ext.testns.${S} 5 IN CNAME ext.interwebs.test.`] },
    ]));

  it('namespaces exposes only the listed namespaces, reverse lookups included', () =>
    table(serverWith({ namespaces: ['other'] }), [
      { q: `svc1.testns.${S}`, rcode: 'NXDOMAIN' },
      { q: `testns.${S}`, rcode: 'NXDOMAIN' },
      { q: `prod.other.${S}`, answer: [`prod.other.${S} 5 IN A 10.0.1.1`] },
      { q: '1.0.0.10.in-addr.arpa.', type: 'PTR', rcode: 'NXDOMAIN' },
      {
        q: '1.1.0.10.in-addr.arpa.',
        type: 'PTR',
        answer: [`1.1.0.10.in-addr.arpa. 5 IN PTR prod.other.${S}`],
      },
    ]));

  it('labels and namespace_labels filter services and namespaces', async () => {
    await table(serverWith({ labels: 'app in (web)' }), [
      { q: `svc1.testns.${S}`, answer: [`svc1.testns.${S} 5 IN A 10.0.0.1`] },
      { q: `dual.testns.${S}`, rcode: 'NXDOMAIN' },
    ]);
    await table(serverWith({ namespaceLabels: 'env=prod' }), [
      { q: `svc1.testns.${S}`, rcode: 'NXDOMAIN' },
      { q: `prod.other.${S}`, answer: [`prod.other.${S} 5 IN A 10.0.1.1`] },
    ]);
  });

  it('fallthrough passes NXDOMAIN on in the listed zones only', async () => {
    await table(serverWith({ fallthrough: { zones: ['in-addr.arpa.'] } }), [
      { q: '9.9.9.9.in-addr.arpa.', type: 'PTR', rcode: 'REFUSED' },
      { q: `nope.testns.${S}`, rcode: 'NXDOMAIN' },
    ]);
    await table(serverWith({ fallthrough: { zones: ['.'] } }), [{ q: `nope.testns.${S}`, rcode: 'REFUSED' }]);
  });

  it('follows changes of the cluster at once', async () => {
    const cluster = memoryCluster(FIXTURE);
    const server = serverWith({}, cluster);
    await check(server, { q: `late.testns.${S}`, rcode: 'NXDOMAIN' });
    cluster.service({ name: 'late', namespace: 'testns', clusterIP: '10.0.0.77', ports: [{ port: 80 }] });
    await check(server, { q: `late.testns.${S}`, answer: [`late.testns.${S} 5 IN A 10.0.0.77`] });
    cluster.delete('Service', 'testns', 'late');
    await check(server, { q: `late.testns.${S}`, rcode: 'NXDOMAIN' });
  });
});

describe('kubernetes plugin: sync gate', () => {
  it('answers SERVFAIL instead of NXDOMAIN and is not ready until the source has synced', async () => {
    const events = new EventEmitter();
    let synced = false;
    const source: ClusterSource = {
      store: createClusterStore(),
      start: async () => {},
      stop: async () => {},
      synced: () => synced,
      on: (event, listener) => events.on(event, listener as () => void),
      off: (event, listener) => events.off(event, listener as () => void),
    };
    const plugin = kubernetes({ zones: ['cluster.local.'], cluster: source, syncWaitMs: 0 });
    const server = testServer([plugin]);
    servers.push(server);
    source.store.apply({
      kind: 'Service',
      metadata: { name: 'a', namespace: 'n' },
      spec: { clusterIP: '10.0.0.1' },
    });
    await check(server, { q: `b.n.${S}`, rcode: 'SERVFAIL' });
    await check(server, { q: `a.n.${S}`, answer: [`a.n.${S} 5 IN A 10.0.0.1`] });
    assert.equal(server.ready(), false);
    synced = true;
    events.emit('synced');
    await check(server, { q: `b.n.${S}`, rcode: 'NXDOMAIN' });
    assert.equal(server.ready(), true);
  });

  it('gives autopath the search path of a known pod, only with pods verified (as CoreDNS)', async () => {
    const insecure = kubernetes({
      zones: ['cluster.local.'],
      cluster: memoryCluster(FIXTURE),
      pods: 'insecure',
    });
    const plugin = kubernetes({
      zones: ['cluster.local.'],
      cluster: memoryCluster(FIXTURE),
      pods: 'verified',
    });
    const server = testServer([plugin]);
    const other = testServer([insecure]);
    servers.push(server, other);
    await server.exchange(query(`svc1.testns.${S}`));
    await other.exchange(query(`svc1.testns.${S}`));
    assert.equal(insecure.searchPath('10.244.0.7'), undefined);
    assert.deepEqual(plugin.searchPath('10.244.0.7'), [`testns.${S}`, S, 'cluster.local.']);
    assert.equal(plugin.searchPath('10.244.0.8'), undefined, 'a terminating pod');
    assert.equal(plugin.searchPath('192.0.2.1'), undefined);
    assert.equal(plugin.namespaceExposed('testns'), true);
    assert.equal(plugin.namespaceExposed('nope'), false);
  });
});

describe('kubernetes plugin: zones from the server block', () => {
  it('takes the block zones when the factory names none', async () => {
    const server = testServer({
      zones: ['cluster.local.'],
      plugins: [kubernetes({ cluster: memoryCluster(FIXTURE) })],
    });
    try {
      const response = await server.exchange(query(`svc1.testns.${S}`));
      assertRcode(response, 'NOERROR');
      assert.ok(response.answers.length > 0);
      const missing = await server.exchange(query(`nope.testns.${S}`));
      assert.equal(missing.authorities[0]?.name, 'cluster.local.');
    } finally {
      await server.close();
    }
  });
});
