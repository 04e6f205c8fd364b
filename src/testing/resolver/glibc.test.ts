import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { DnsServer } from '../../core/types.js';
import { testServer } from '../test-server.js';
import { fastClock, type Libc, podResolver, type ResolveResult, type Script, scripted } from './index.js';

const servers: DnsServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

/** A resolver over a scripted server, with instant timeouts; the server gives up on held queries after 50 ms. */
function setup(script: Script, libc: Libc, resolvConf?: string) {
  const server = testServer({ plugins: [scripted(script)], queryTimeoutMs: 50 });
  servers.push(server);
  const clock = fastClock();
  const resolver = podResolver({ server, libc, clock, ...(resolvConf === undefined ? {} : { resolvConf }) });
  return { resolver, clock };
}

/** `name type rcode` per query sent. */
function tried(result: ResolveResult): string[] {
  return result.tried.map((query) => `${query.name} ${query.type} ${query.rcode}`);
}

const NGINX = 'nginx.default.svc.cluster.local.';

describe('glibc search order (kubelet resolv.conf, ndots:5)', () => {
  it('finds a service by its short name with the first search domain, A and AAAA in parallel', async () => {
    const { resolver } = setup({ [NGINX]: { A: ['10.96.0.20'] } }, 'glibc');
    const result = await resolver.resolve('nginx');
    assert.deepEqual(tried(result), [`${NGINX} A NOERROR`, `${NGINX} AAAA NOERROR`]);
    assert.deepEqual(result.addresses, [{ address: '10.96.0.20', family: 4 }]);
    assert.equal(result.answer?.name, NGINX);
    assert.equal(result.failure, undefined);
  });

  it('walks NXDOMAIN search domains until one answers', async () => {
    const { resolver } = setup({ 'nginx.other.svc.cluster.local.': { A: ['10.96.1.1'] } }, 'glibc');
    const result = await resolver.resolve('nginx.other');
    assert.deepEqual(tried(result), [
      'nginx.other.default.svc.cluster.local. A NXDOMAIN',
      'nginx.other.default.svc.cluster.local. AAAA NXDOMAIN',
      'nginx.other.svc.cluster.local. A NOERROR',
      'nginx.other.svc.cluster.local. AAAA NOERROR',
    ]);
    assert.deepEqual(result.addresses, [{ address: '10.96.1.1', family: 4 }]);
  });

  it('tries an external name with fewer than 5 dots against every search domain, then as-is', async () => {
    const { resolver } = setup({ 'example.com.': { A: ['192.0.2.1'], AAAA: ['2001:db8::1'] } }, 'glibc');
    const result = await resolver.resolve('example.com');
    assert.deepEqual(
      result.tried.map((query) => query.name),
      [
        'example.com.default.svc.cluster.local.',
        'example.com.default.svc.cluster.local.',
        'example.com.svc.cluster.local.',
        'example.com.svc.cluster.local.',
        'example.com.cluster.local.',
        'example.com.cluster.local.',
        'example.com.',
        'example.com.',
      ],
    );
    assert.deepEqual(result.addresses, [
      { address: '192.0.2.1', family: 4 },
      { address: '2001:db8::1', family: 6 },
    ]);
  });

  it('tries a name with at least ndots dots as-is first, and searches after its NXDOMAIN', async () => {
    const conf = 'nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local\noptions ndots:1';
    const { resolver } = setup({ 'example.com.': { A: ['192.0.2.1'] } }, 'glibc', conf);
    assert.deepEqual(
      (await resolver.resolve('example.com', { family: 4 })).tried.map((q) => q.name),
      ['example.com.'],
    );
    const missing = await resolver.resolve('nope.example', { family: 4 });
    assert.deepEqual(tried(missing), [
      'nope.example. A NXDOMAIN',
      'nope.example.default.svc.cluster.local. A NXDOMAIN',
      'nope.example.svc.cluster.local. A NXDOMAIN',
    ]);
    assert.equal(missing.failure, 'HOST_NOT_FOUND');
  });

  it('with ndots:0 tries even a dotless name as-is first', async () => {
    const conf = 'nameserver 10.96.0.10\nsearch default.svc.cluster.local\noptions ndots:0';
    const { resolver } = setup({}, 'glibc', conf);
    const result = await resolver.resolve('db', { family: 4 });
    assert.deepEqual(
      result.tried.map((q) => q.name),
      ['db.', 'db.default.svc.cluster.local.'],
    );
  });

  it('treats a trailing dot as absolute: one name, no search, even on NXDOMAIN', async () => {
    const { resolver } = setup({}, 'glibc');
    const result = await resolver.resolve('nginx.');
    assert.deepEqual(tried(result), ['nginx. A NXDOMAIN', 'nginx. AAAA NXDOMAIN']);
    assert.equal(result.failure, 'HOST_NOT_FOUND');
  });

  it('with no-tld-query never tries a dotless name as-is', async () => {
    const conf = 'nameserver 10.96.0.10\nsearch a.example\noptions no-tld-query';
    const { resolver } = setup({}, 'glibc', conf);
    const result = await resolver.resolve('db', { family: 4 });
    assert.deepEqual(
      result.tried.map((q) => q.name),
      ['db.a.example.'],
    );
  });

  it('queries only A or only AAAA for family 4 or 6', async () => {
    const { resolver } = setup({ [NGINX]: { A: ['10.96.0.20'], AAAA: ['fd00::20'] } }, 'glibc');
    assert.deepEqual(tried(await resolver.resolve('nginx', { family: 4 })), [`${NGINX} A NOERROR`]);
    const six = await resolver.resolve('nginx', { family: 6 });
    assert.deepEqual(tried(six), [`${NGINX} AAAA NOERROR`]);
    assert.deepEqual(six.addresses, [{ address: 'fd00::20', family: 6 }]);
  });

  it('answers localhost and IP literals without a query', async () => {
    const { resolver } = setup({}, 'glibc');
    assert.deepEqual((await resolver.resolve('localhost', { family: 4 })).addresses, [
      { address: '127.0.0.1', family: 4 },
    ]);
    const literal = await resolver.resolve('192.0.2.9');
    assert.deepEqual(literal.tried, []);
    assert.deepEqual(literal.addresses, [{ address: '192.0.2.9', family: 4 }]);
  });
});

describe('glibc: what stops the search', () => {
  it('goes on after NODATA, and fails with NO_DATA when nothing else answers', async () => {
    const { resolver } = setup({ 'api.default.svc.cluster.local.': 'nodata' }, 'glibc');
    const result = await resolver.resolve('api', { family: 4 });
    assert.deepEqual(tried(result), [
      'api.default.svc.cluster.local. A NOERROR',
      'api.svc.cluster.local. A NXDOMAIN',
      'api.cluster.local. A NXDOMAIN',
      'api. A NXDOMAIN',
    ]);
    assert.equal(result.failure, 'NO_DATA');
  });

  it('a NODATA for AAAA with an A answer is an answer', async () => {
    const { resolver } = setup({ [NGINX]: { A: ['10.96.0.20'], AAAA: 'nodata' } }, 'glibc');
    const result = await resolver.resolve('nginx');
    assert.equal(result.tried.length, 2);
    assert.deepEqual(result.addresses, [{ address: '10.96.0.20', family: 4 }]);
  });

  it('retries SERVFAIL (attempts x nameservers), then goes on to the next search domain', async () => {
    const { resolver } = setup(
      { 'web.default.svc.cluster.local.': 'servfail', 'web.svc.cluster.local.': { A: ['10.0.0.5'] } },
      'glibc',
    );
    const result = await resolver.resolve('web', { family: 4 });
    assert.deepEqual(tried(result), [
      'web.default.svc.cluster.local. A SERVFAIL',
      'web.default.svc.cluster.local. A SERVFAIL',
      'web.svc.cluster.local. A NOERROR',
    ]);
    assert.deepEqual(result.addresses, [{ address: '10.0.0.5', family: 4 }]);
  });

  it('reports TRY_AGAIN when only SERVFAILs and NXDOMAINs came back', async () => {
    const { resolver } = setup({ 'web.default.svc.cluster.local.': 'servfail' }, 'glibc');
    const result = await resolver.resolve('web', { family: 4 });
    assert.equal(result.tried.length, 5);
    assert.equal(result.failure, 'TRY_AGAIN');
  });

  it('stops the search list on REFUSED but still tries the name as-is', async () => {
    const { resolver } = setup({ 'web.default.svc.cluster.local.': 'refused' }, 'glibc');
    const result = await resolver.resolve('web', { family: 4 });
    assert.deepEqual(tried(result), [
      'web.default.svc.cluster.local. A REFUSED',
      'web.default.svc.cluster.local. A REFUSED',
      'web. A NXDOMAIN',
    ]);
    assert.equal(result.failure, 'HOST_NOT_FOUND');
  });

  it('stops the search list on a timeout after attempts x timeout, then tries as-is', async () => {
    const { resolver, clock } = setup({ 'slow.default.svc.cluster.local.': 'timeout' }, 'glibc');
    const result = await resolver.resolve('slow', { family: 4 });
    assert.deepEqual(tried(result), [
      'slow.default.svc.cluster.local. A TIMEOUT',
      'slow.default.svc.cluster.local. A TIMEOUT',
      'slow. A NXDOMAIN',
    ]);
    assert.equal(clock.elapsed(), 10_000);
  });

  it('walks the nameservers in order on each attempt, with shorter waits after the first', async () => {
    const conf = 'nameserver 10.0.0.1\nnameserver 10.0.0.2\nsearch x.example\noptions timeout:2 attempts:3';
    const { resolver, clock } = setup({ 'slow.x.example.': 'timeout' }, 'glibc', conf);
    const result = await resolver.resolve('slow', { family: 4 });
    assert.deepEqual(
      result.tried.slice(0, 6).map((query) => query.nameserver),
      ['10.0.0.1', '10.0.0.2', '10.0.0.1', '10.0.0.2', '10.0.0.1', '10.0.0.2'],
    );
    // send_dg waits timeout << index / count after the first server: 2 s, then 4/2 = 2 s.
    assert.equal(clock.elapsed(), 12_000);
  });

  it('rotate starts each query at the next nameserver', async () => {
    const conf = 'nameserver 10.0.0.1\nnameserver 10.0.0.2\noptions rotate ndots:1';
    const { resolver } = setup({ 'a.example.': { A: ['192.0.2.1'] } }, 'glibc', conf);
    const first = await resolver.resolve('a.example', { family: 4 });
    const second = await resolver.resolve('a.example', { family: 4 });
    assert.deepEqual([first.tried[0]?.nameserver, second.tried[0]?.nameserver], ['10.0.0.1', '10.0.0.2']);
  });

  it('a timed-out AAAA with an A in hand retries in single-request mode, then keeps the A', async () => {
    const { resolver } = setup({ [NGINX]: { A: ['10.96.0.20'], AAAA: 'timeout' } }, 'glibc');
    const result = await resolver.resolve('nginx');
    assert.deepEqual(tried(result), [
      `${NGINX} A NOERROR`,
      `${NGINX} AAAA TIMEOUT`,
      `${NGINX} A NOERROR`,
      `${NGINX} AAAA TIMEOUT`,
      `${NGINX} A NOERROR`,
      `${NGINX} AAAA TIMEOUT`,
    ]);
    assert.deepEqual(result.addresses, [{ address: '10.96.0.20', family: 4 }]);
  });

  it('single-request sends AAAA only after a usable A reply', async () => {
    const conf =
      'nameserver 10.96.0.10\nsearch default.svc.cluster.local\noptions ndots:5 single-request attempts:1';
    const { resolver } = setup({ [NGINX]: { A: 'servfail', AAAA: ['fd00::1'] } }, 'glibc', conf);
    const result = await resolver.resolve('nginx');
    // The rejected A leaves send_dg waiting for an AAAA reply it never asked for: a timeout.
    assert.deepEqual(tried(result), [`${NGINX} A SERVFAIL`, 'nginx. A NXDOMAIN', 'nginx. AAAA NXDOMAIN']);
  });

  it('edns0 adds an OPT record to the queries', async () => {
    const seen: boolean[] = [];
    const server = testServer([
      (ctx) => {
        seen.push(ctx.edns !== undefined);
        ctx.reply({ rcode: 'NXDOMAIN', authoritative: true });
      },
    ]);
    servers.push(server);
    const conf = 'nameserver 10.96.0.10\noptions edns0';
    await podResolver({ server, resolvConf: conf, clock: fastClock() }).resolve('a.', { family: 4 });
    await podResolver({ server, resolvConf: conf, libc: 'musl', clock: fastClock() }).resolve('a.', {
      family: 4,
    });
    assert.deepEqual(seen, [true, false]);
  });
});
