import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { memoryCluster } from '../../cluster/memory.js';
import type { DnsServer, Plugin } from '../../core/types.js';
import { directiveFrom, parseError } from '../../plugin-kit/test-helpers.js';
import { assertAnswers, assertRcode, query, testServer } from '../../testing/index.js';
import { fastClock, podResolver, scripted } from '../../testing/resolver/index.js';
import { kubernetes } from '../kubernetes/index.js';
import { autopath, autopathDefinition } from './index.js';

const CLIENT = '10.244.0.7';

function cluster() {
  const c = memoryCluster();
  c.service({
    name: 'nginx',
    namespace: 'default',
    clusterIP: '10.96.0.20',
    ports: [{ name: 'http', port: 80 }],
  });
  c.service({ name: 'db', namespace: 'data', clusterIP: '10.96.5.5', ports: [{ name: 'pg', port: 5432 }] });
  c.pod({ name: 'client', namespace: 'default', ip: CLIENT });
  return c;
}

const servers: DnsServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

function k8sServer(...extra: Plugin[]): DnsServer {
  const server = testServer({
    zones: ['.'],
    plugins: [
      autopath({ plugin: 'kubernetes' }),
      kubernetes({ zones: ['cluster.local'], cluster: cluster(), pods: 'verified' }),
      ...extra,
    ],
  });
  servers.push(server);
  return server;
}

const from = { peer: { address: CLIENT } };

describe('autopath @kubernetes', () => {
  const server = k8sServer(scripted({ 'example.com.': { A: ['192.0.2.1'] } }));

  it('answers name.<first search domain> with a CNAME to the first name that exists', async () => {
    const response = await server.exchange(query('db.data.default.svc.cluster.local.', 'A'), from);
    assertRcode(response, 'NOERROR');
    assertAnswers(response, [
      'db.data.default.svc.cluster.local. 5 IN CNAME db.data.svc.cluster.local.',
      'db.data.svc.cluster.local. 5 IN A 10.96.5.5',
    ]);
    assert.equal(response.questions[0]?.name, 'db.data.default.svc.cluster.local.');
  });

  it('walks to the name as-is, outside the cluster zone', async () => {
    const response = await server.exchange(query('example.com.default.svc.cluster.local.', 'A'), from);
    assertAnswers(response, [
      'example.com.default.svc.cluster.local. 30 IN CNAME example.com.',
      'example.com. 30 IN A 192.0.2.1',
    ]);
  });

  it('returns a hit in the first search domain without a CNAME, and NODATA as it is', async () => {
    assertAnswers(await server.exchange(query('nginx.default.svc.cluster.local.', 'A'), from), [
      'nginx.default.svc.cluster.local. 5 IN A 10.96.0.20',
    ]);
    const nodata = await server.exchange(query('nginx.default.svc.cluster.local.', 'AAAA'), from);
    assertRcode(nodata, 'NOERROR');
    assert.deepEqual(nodata.answers, []);
  });

  it('returns the first NXDOMAIN when every name of the path is NXDOMAIN', async () => {
    const response = await server.exchange(query('nope.default.svc.cluster.local.', 'A'), from);
    assertRcode(response, 'NXDOMAIN');
    assert.equal(response.authorities[0]?.type, 'SOA');
  });

  it('does nothing for a client that is not a known pod, or a name outside the first search domain', async () => {
    assertRcode(await server.exchange(query('db.data.default.svc.cluster.local.', 'A')), 'NXDOMAIN');
    assertRcode(await server.exchange(query('db.data.svc.cluster.local.', 'A'), from), 'NOERROR');
    assertRcode(await server.exchange(query('db.data.cluster.local.', 'A'), from), 'NXDOMAIN');
  });

  it('counts successes', async () => {
    const text = await server.metrics.getSingleMetricAsString('coredns_autopath_success_total');
    assert.match(text, /coredns_autopath_success_total\{server="dns:\/\/:\d+"\} [1-9]/);
  });

  it('turns a pod resolver search walk into one round trip', async () => {
    const resolver = podResolver({ server, podIp: CLIENT, clock: fastClock() });
    const result = await resolver.resolve('db.data', { family: 4 });
    assert.deepEqual(
      result.tried.map((q) => `${q.name} ${q.rcode}`),
      ['db.data.default.svc.cluster.local. NOERROR'],
    );
    assert.deepEqual(result.addresses, [{ address: '10.96.5.5', family: 4 }]);
  });
});

describe('autopath with a resolv.conf', () => {
  it('uses the file search line for every client', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autopath-'));
    const file = join(dir, 'resolv.conf');
    writeFileSync(file, 'search a.example b.example\n');
    const options = autopathDefinition.parse(directiveFrom(`autopath ${file}`));
    assert.deepEqual(options, { zones: ['.'], search: ['a.example', 'b.example'] });
    const server = testServer({
      plugins: [autopathDefinition.create(options), scripted({ 'www.b.example.': { A: ['192.0.2.7'] } })],
    });
    servers.push(server);
    assertAnswers(await server.exchange(query('www.a.example.', 'A')), [
      'www.a.example. 30 IN CNAME www.b.example.',
      'www.b.example. 30 IN A 192.0.2.7',
    ]);
  });
});

describe('autopath setup', () => {
  it('parses zones and @plugin', () => {
    assert.deepEqual(autopathDefinition.parse(directiveFrom('autopath example.org @kubernetes')), {
      zones: ['example.org.'],
      plugin: 'kubernetes',
    });
  });

  it('rejects a missing resolv-conf, an unreadable file and a block', () => {
    assert.match(
      parseError(() => autopathDefinition.parse(directiveFrom('autopath'))).message,
      /no resolv-conf specified/,
    );
    assert.match(
      parseError(() => autopathDefinition.parse(directiveFrom('autopath /nonexistent/resolv.conf'))).message,
      /failed to parse "\/nonexistent\/resolv.conf"/,
    );
    assert.equal(parseError(() => autopathDefinition.parse(directiveFrom('autopath @k {\n x\n}'))).line, 3);
  });

  it('fails to start when the named plugin gives no search path', async () => {
    const server = testServer({
      plugins: [autopath({ plugin: 'whoami' }), { name: 'whoami', handle: () => {} }],
    });
    await assert.rejects(
      server.exchange(query('a.', 'A')),
      /whoami does not implement the AutoPather interface/,
    );
    await server.close();
  });
});
