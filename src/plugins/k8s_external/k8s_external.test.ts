import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { memoryCluster } from '../../cluster/memory.js';
import type { DnsServer } from '../../core/types.js';
import { directiveFrom, parseError } from '../../plugin-kit/test-helpers.js';
import { answers, assertAnswers, assertRcode, query, testServer } from '../../testing/index.js';
import { kubernetes } from '../kubernetes/index.js';
import { k8sExternal, k8sExternalDefinition } from './index.js';

function cluster() {
  const c = memoryCluster();
  c.namespace('default');
  c.service({
    name: 'web',
    namespace: 'default',
    clusterIP: '10.96.0.20',
    externalIPs: ['192.0.2.10'],
    ports: [{ name: 'http', port: 80 }],
  });
  c.service({
    name: 'lb',
    namespace: 'default',
    type: 'LoadBalancer',
    clusterIP: '10.96.0.21',
    ingress: [{ ip: '198.51.100.7' }, { ip: '2001:db8::7' }],
    ports: [{ name: 'https', port: 443 }],
  });
  c.service({ name: 'internal', namespace: 'default', clusterIP: '10.96.0.22', ports: [{ port: 80 }] });
  c.service({ name: 'bare', namespace: 'default', clusterIP: '10.96.0.23', externalIPs: ['192.0.2.23'] });
  c.service({ name: 'db', namespace: 'default', clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] });
  c.endpoints({
    service: 'db',
    endpoints: [{ ip: '10.244.1.5', hostname: 'db-0' }, { ip: '10.244.1.6' }],
    ports: [{ name: 'pg', port: 5432 }],
  });
  return c;
}

const servers: DnsServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

function server(options: Parameters<typeof k8sExternal>[0] = {}): DnsServer {
  const s = testServer({
    zones: ['.'],
    plugins: [
      k8sExternal({ zones: ['example.org'], ...options }),
      kubernetes({ zones: ['cluster.local'], cluster: cluster() }),
    ],
  });
  servers.push(s);
  return s;
}

describe('k8s_external', () => {
  const dns = server();

  it('answers service.namespace.zone with external IPs, authoritatively, TTL 5', async () => {
    const response = await dns.exchange(query('web.default.example.org.', 'A'));
    assert.equal(response.flags.aa, true);
    assertAnswers(response, ['web.default.example.org. 5 IN A 192.0.2.10']);
  });

  it('answers LoadBalancer ingress IPs by family', async () => {
    assertAnswers(await dns.exchange(query('lb.default.example.org.', 'A')), [
      'lb.default.example.org. 5 IN A 198.51.100.7',
    ]);
    assertAnswers(await dns.exchange(query('lb.default.example.org.', 'AAAA')), [
      'lb.default.example.org. 5 IN AAAA 2001:db8::7',
    ]);
  });

  it('answers SRV with the service as target and its addresses as additionals', async () => {
    const response = await dns.exchange(query('_https._tcp.lb.default.example.org.', 'SRV'));
    assertAnswers(response, [
      '_https._tcp.lb.default.example.org. 5 IN SRV 0 50 443 lb.default.example.org.',
    ]);
    assertAnswers(
      response,
      ['lb.default.example.org. 5 IN A 198.51.100.7', 'lb.default.example.org. 5 IN AAAA 2001:db8::7'],
      {
        section: 'additionals',
      },
    );
  });

  it('gives NXDOMAIN for services without external addresses, unknown services and namespaces', async () => {
    for (const name of [
      'internal.default.example.org.',
      'nope.default.example.org.',
      'web.nope.example.org.',
    ]) {
      const response = await dns.exchange(query(name, 'A'));
      assertRcode(response, 'NXDOMAIN');
      assert.equal(response.authorities[0]?.type, 'SOA', name);
    }
  });

  it('gives NODATA for other types, a family without addresses, and a namespace alone', async () => {
    for (const [name, type] of [
      ['web.default.example.org.', 'TXT'],
      ['web.default.example.org.', 'AAAA'],
      ['default.example.org.', 'A'],
    ] as const) {
      const response = await dns.exchange(query(name, type));
      assertRcode(response, 'NOERROR');
      assert.deepEqual(response.answers, [], `${name} ${type}`);
      assert.equal(response.authorities[0]?.type, 'SOA');
    }
  });

  it('resolves a service without ports (A only, no SRV)', async () => {
    assertAnswers(await dns.exchange(query('bare.default.example.org.', 'A')), [
      'bare.default.example.org. 5 IN A 192.0.2.23',
    ]);
    assert.deepEqual((await dns.exchange(query('bare.default.example.org.', 'SRV'))).answers, []);
  });

  it('serves SOA and NS at the apex and the dns subdomain', async () => {
    const soa = await dns.exchange(query('example.org.', 'SOA'));
    assert.match(
      answers(soa)[0] ?? '',
      /^example\.org\.\s+5\s+IN\s+SOA\s+ns1\.dns\.example\.org\. hostmaster\.dns\.example\.org\. \d+ 7200 1800 86400 5$/,
    );
    assertAnswers(await dns.exchange(query('example.org.', 'NS')), [
      'example.org. 5 IN NS ns1.dns.example.org.',
    ]);
    const apexA = await dns.exchange(query('example.org.', 'A'));
    assert.deepEqual(apexA.answers, []);
    assert.equal(apexA.authorities[0]?.type, 'SOA');
    assertRcode(await dns.exchange(query('dns.example.org.', 'A')), 'NOERROR');
    assertRcode(await dns.exchange(query('ns2.dns.example.org.', 'A')), 'NXDOMAIN');
    assertRcode(await dns.exchange(query('a.b.dns.example.org.', 'A')), 'NXDOMAIN');
  });

  it('leaves names outside its zones to the next plugin', async () => {
    assertAnswers(await dns.exchange(query('web.default.svc.cluster.local.', 'A')), [
      'web.default.svc.cluster.local. 5 IN A 10.96.0.20',
    ]);
  });
});

describe('k8s_external options', () => {
  it('headless resolves headless services and their endpoints', async () => {
    const dns = server({ headless: true, ttl: 30 });
    assertAnswers(await dns.exchange(query('db.default.example.org.', 'A')), [
      'db.default.example.org. 30 IN A 10.244.1.5',
      'db.default.example.org. 30 IN A 10.244.1.6',
    ]);
    assertAnswers(await dns.exchange(query('db-0.db.default.example.org.', 'A')), [
      'db-0.db.default.example.org. 30 IN A 10.244.1.5',
    ]);
    const srv = await dns.exchange(query('_pg._tcp.db.default.example.org.', 'SRV'));
    assertAnswers(srv, [
      '_pg._tcp.db.default.example.org. 30 IN SRV 0 50 5432 db-0.db.default.example.org.',
      '_pg._tcp.db.default.example.org. 30 IN SRV 0 50 5432 10-244-1-6.db.default.example.org.',
    ]);
  });

  it('without headless, a headless service is NXDOMAIN', async () => {
    assertRcode(await server().exchange(query('db.default.example.org.', 'A')), 'NXDOMAIN');
  });

  it('apex renames the nameserver subdomain', async () => {
    const dns = server({ apex: 'ns' });
    assertAnswers(await dns.exchange(query('example.org.', 'NS')), [
      'example.org. 5 IN NS ns1.ns.example.org.',
    ]);
  });

  it('passes queries through when the block has no kubernetes plugin', async () => {
    const s = testServer({ zones: ['.'], plugins: [k8sExternal({ zones: ['example.org'] })] });
    servers.push(s);
    assertRcode(await s.exchange(query('web.default.example.org.', 'A')), 'SERVFAIL');
  });
});

describe('k8s_external setup', () => {
  it('parses zones, apex, ttl and headless', () => {
    const options = k8sExternalDefinition.parse(
      directiveFrom('k8s_external example.org example.net {\n apex ns\n ttl 60\n headless\n}'),
    );
    assert.deepEqual(options, {
      zones: ['example.org.', 'example.net.'],
      apex: 'ns',
      ttl: 60,
      headless: true,
    });
    assert.deepEqual(k8sExternalDefinition.parse(directiveFrom('k8s_external', ['example.com.'])), {
      zones: ['example.com.'],
    });
  });

  it('rejects bad ttl, missing values and unknown properties at their line', () => {
    const cases: [string, RegExp, number][] = [
      ['k8s_external {\n ttl 4000\n}', /ttl must be in range \[0, 3600\]: 4000/, 3],
      ['k8s_external {\n ttl x\n}', /invalid syntax/, 3],
      ['k8s_external {\n apex\n}', /Wrong argument count/, 3],
      ['k8s_external {\n fqdn_template x\n}', /unknown property 'fqdn_template'/, 3],
    ];
    for (const [text, message, line] of cases) {
      const error = parseError(() => k8sExternalDefinition.parse(directiveFrom(text)));
      assert.match(error.message, message);
      assert.equal(error.line, line);
    }
  });
});
