import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, createServer as createHttpServer, get } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../core/logger.js';
import { createServer } from '../../core/server.js';
import { testServer } from '../test-server.js';
import { fastClock, podLookup, podResolver, scripted, socketExchange } from './index.js';

const dns = testServer({
  plugins: [
    scripted({
      'nginx.default.svc.cluster.local.': { A: ['127.0.0.1'] },
      'dual.default.svc.cluster.local.': { A: ['127.0.0.1'], AAAA: ['::1'] },
      'flaky.default.svc.cluster.local.': 'servfail',
    }),
  ],
});
const lookup = podLookup(podResolver({ server: dns, namespace: 'default', clock: fastClock() }));
const web = createHttpServer((request, response) => response.end(`hello from ${request.headers.host}`));
let port = 0;

before(async () => {
  web.listen(0, '127.0.0.1');
  await once(web, 'listening');
  port = (web.address() as AddressInfo).port;
});
after(async () => {
  web.close();
  await dns.close();
});

function httpGet(url: string, agent: Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent, timeout: 5000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('podLookup', () => {
  it('lets an http.Agent reach a service by its short name', async () => {
    const agent = new Agent({ lookup });
    assert.equal(await httpGet(`http://nginx:${port}/`, agent), `hello from nginx:${port}`);
    assert.equal(await httpGet(`http://nginx.default:${port}/`, agent), `hello from nginx.default:${port}`);
    agent.destroy();
  });

  it('lets net.connect reach a service, and reports ENOTFOUND like dns.lookup', async () => {
    const socket = connect({ host: 'nginx.default.svc', port, lookup });
    await once(socket, 'connect');
    assert.equal(socket.remoteAddress, '127.0.0.1');
    socket.destroy();
    const missing = connect({ host: 'missing', port, lookup });
    const [error] = (await once(missing, 'error')) as [NodeJS.ErrnoException & { hostname?: string }];
    assert.equal(error.code, 'ENOTFOUND');
    assert.equal(error.syscall, 'getaddrinfo');
    assert.equal(error.hostname, 'missing');
  });

  it('reports a SERVFAIL-only lookup as EAI_AGAIN', async () => {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      lookup('flaky', (e) => resolve(e)),
    );
    assert.equal(error?.code, 'EAI_AGAIN');
  });

  it('honours family, all and order', async () => {
    const one = await new Promise<[string, number | undefined]>((resolve, reject) =>
      lookup('dual', { family: 6 }, (e, address, family) =>
        e ? reject(e) : resolve([address as string, family]),
      ),
    );
    assert.deepEqual(one, ['::1', 6]);
    const all = await new Promise<unknown>((resolve, reject) =>
      lookup('dual', { all: true, order: 'ipv6first' }, (e, addresses) =>
        e ? reject(e) : resolve(addresses),
      ),
    );
    assert.deepEqual(all, [
      { address: '::1', family: 6 },
      { address: '127.0.0.1', family: 4 },
    ]);
    const verbatim = await new Promise<unknown>((resolve, reject) =>
      lookup('dual', { all: true, verbatim: true }, (e, addresses) => (e ? reject(e) : resolve(addresses))),
    );
    assert.deepEqual(verbatim, [
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    const byNumber = await new Promise<string>((resolve, reject) =>
      lookup('dual', 4, (e, address) => (e ? reject(e) : resolve(address as string))),
    );
    assert.equal(byNumber, '127.0.0.1');
  });
});

describe('socketExchange', () => {
  const server = createServer({
    plugins: [scripted({ 'nginx.default.svc.cluster.local.': { A: ['127.0.0.1'] } })],
    port: 0,
    listen: ['127.0.0.1'],
    logger: silentLogger,
  });
  before(() => server.listen());
  after(() => server.close());

  it('resolves against a listening server over UDP and over TCP', async () => {
    const dnsPort = server.addresses()[0]?.port ?? 0;
    const resolvConf = 'nameserver 127.0.0.1\nsearch default.svc.cluster.local\noptions ndots:5 timeout:2';
    for (const tcp of [false, true]) {
      const resolver = podResolver({ exchange: socketExchange({ port: dnsPort, tcp }), resolvConf });
      const result = await resolver.resolve('nginx');
      assert.deepEqual(result.addresses, [{ address: '127.0.0.1', family: 4 }]);
      assert.deepEqual(
        result.tried.map((q) => `${q.nameserver} ${q.type} ${q.rcode}`),
        ['127.0.0.1 A NOERROR', '127.0.0.1 AAAA NOERROR'],
      );
    }
  });
});
