// Unit-testing an app's Kubernetes service discovery against an in-memory cluster: the DNS answers
// come from the same `kubernetes` plugin a cluster would run, the names are resolved the way a
// pod's libc resolves them (search list, ndots:5), and HTTP goes to a real local server.
// Run: npm test -- examples/service-discovery
import assert from 'node:assert/strict';
import type { SrvRecord } from 'node:dns';
import { once } from 'node:events';
import { Agent, createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { autopath, kubernetes, memoryCluster, type SrvData } from 'dnskit';
import { fastClock, podLookup, podResolver, query, scripted, testServer } from 'dnskit/testing';

// ---- the app's code: find a service's HTTP port by SRV, then GET a path from it ----

type ResolveSrv = (name: string) => Promise<SrvRecord[]>;

/** GETs `path` from `service` through its `http` port, as found in DNS (`dns.promises.resolveSrv` in production). */
async function fetchFromService(
  resolveSrv: ResolveSrv,
  agent: Agent,
  service: string,
  path: string,
): Promise<string> {
  const [target] = await resolveSrv(`_http._tcp.${service}`);
  if (target === undefined) throw new Error(`no http port for ${service}`);
  return new Promise((resolve, reject) => {
    get({ host: target.name, port: target.port, path, agent }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

// ---- the test: a cluster in memory, DNS in process, HTTP on loopback ----

const web = createServer((request, response) => response.end(`catalog: ${request.url}`));
const cluster = memoryCluster();
const dns = testServer({
  zones: ['.'],
  plugins: [
    autopath({ plugin: 'kubernetes' }),
    kubernetes({ zones: ['cluster.local'], cluster, pods: 'verified' }),
    scripted({}), // stands in for `forward`: every other name is NXDOMAIN
  ],
});

before(async () => {
  web.listen(0, '127.0.0.1');
  await once(web, 'listening');
  const { port } = web.address() as AddressInfo;
  // The service's cluster IP is where the test's HTTP server listens.
  cluster.service({
    name: 'catalog',
    namespace: 'shop',
    clusterIP: '127.0.0.1',
    ports: [{ name: 'http', port }],
  });
  cluster.pod({ name: 'frontend-7d9f', namespace: 'shop', ip: '10.244.1.15' });
  cluster.pod({ name: 'batch-1', namespace: 'jobs', ip: '10.244.2.3' });
});
after(async () => {
  web.close();
  await dns.close();
});

/** `resolveSrv` answered by the in-process server (what the pod's resolver would get for an FQDN). */
const resolveSrv: ResolveSrv = async (name) => {
  const response = await dns.exchange(query(`${name}.svc.cluster.local.`, 'SRV'));
  const srv = response.answers.flatMap((r) => (r.type === 'SRV' ? [r.data as SrvData] : []));
  return srv.map((data) => ({ ...data, name: data.target }));
};

describe('service discovery', () => {
  it('reaches a service by SRV and its short name, like a pod in its namespace', async () => {
    const lookup = podLookup(podResolver({ server: dns, namespace: 'shop', clock: fastClock() }));
    const agent = new Agent({ lookup });
    assert.equal(await fetchFromService(resolveSrv, agent, 'catalog.shop', '/items'), 'catalog: /items');
    agent.destroy();
  });

  it('shows the ndots:5 search walk a pod in another namespace pays, and what autopath saves', async () => {
    const plain = podResolver({ server: dns, namespace: 'jobs', podIp: '10.0.0.1', clock: fastClock() });
    const walk = await plain.resolve('catalog.shop', { family: 4 });
    assert.deepEqual(
      walk.tried.map((q) => `${q.name} ${q.rcode}`),
      ['catalog.shop.jobs.svc.cluster.local. NXDOMAIN', 'catalog.shop.svc.cluster.local. NOERROR'],
    );
    // From a known pod IP, autopath answers the first name with a CNAME: one query.
    const pod = podResolver({ server: dns, namespace: 'jobs', podIp: '10.244.2.3', clock: fastClock() });
    const result = await pod.resolve('catalog.shop', { family: 4 });
    assert.equal(result.tried.length, 1);
    assert.deepEqual(result.addresses, [{ address: '127.0.0.1', family: 4 }]);
  });

  it('fails like getaddrinfo for a service that does not exist', async () => {
    const resolver = podResolver({ server: dns, namespace: 'shop', libc: 'musl', clock: fastClock() });
    const result = await resolver.resolve('payments');
    assert.equal(result.failure, 'HOST_NOT_FOUND');
    assert.equal(result.tried.length, 8); // 3 search domains + as-is, A and AAAA each
  });
});
