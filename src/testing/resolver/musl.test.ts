import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { DnsServer } from '../../core/types.js';
import { testServer } from '../test-server.js';
import { fastClock, podResolver, type ResolveResult, type Script, scripted } from './index.js';

const servers: DnsServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

function setup(script: Script, resolvConf?: string) {
  const server = testServer({ plugins: [scripted(script)], queryTimeoutMs: 50 });
  servers.push(server);
  const clock = fastClock();
  const resolver = podResolver({
    server,
    libc: 'musl',
    clock,
    ...(resolvConf === undefined ? {} : { resolvConf }),
  });
  return { resolver, clock };
}

function tried(result: ResolveResult): string[] {
  return result.tried.map((query) => `${query.name} ${query.type} ${query.rcode}`);
}

const NGINX = 'nginx.default.svc.cluster.local.';

describe('musl search order', () => {
  it('finds a service by its short name with the first search domain', async () => {
    const { resolver } = setup({ [NGINX]: { A: ['10.96.0.20'] } });
    const result = await resolver.resolve('nginx');
    assert.deepEqual(tried(result), [`${NGINX} A NOERROR`, `${NGINX} AAAA NOERROR`]);
    assert.deepEqual(result.addresses, [{ address: '10.96.0.20', family: 4 }]);
  });

  it('goes on after NXDOMAIN: search list first, then the name as-is', async () => {
    const { resolver } = setup({ 'example.com.': { A: ['192.0.2.1'] } });
    const result = await resolver.resolve('example.com', { family: 4 });
    assert.deepEqual(tried(result), [
      'example.com.default.svc.cluster.local. A NXDOMAIN',
      'example.com.svc.cluster.local. A NXDOMAIN',
      'example.com.cluster.local. A NXDOMAIN',
      'example.com. A NOERROR',
    ]);
  });

  it('never searches a name with at least ndots dots (glibc would, after the as-is NXDOMAIN)', async () => {
    const conf = 'nameserver 10.96.0.10\nsearch default.svc.cluster.local\noptions ndots:1';
    const { resolver } = setup({ 'nginx.svc.default.svc.cluster.local.': { A: ['10.0.0.1'] } }, conf);
    const result = await resolver.resolve('nginx.svc', { family: 4 });
    assert.deepEqual(tried(result), ['nginx.svc. A NXDOMAIN']);
    assert.equal(result.failure, 'HOST_NOT_FOUND');
  });

  it('treats a trailing dot as absolute', async () => {
    const { resolver } = setup({});
    assert.deepEqual(tried(await resolver.resolve('nginx.', { family: 4 })), ['nginx. A NXDOMAIN']);
  });

  it('defaults to ndots:1 without an options line', async () => {
    const { resolver } = setup({}, 'nameserver 10.0.0.1\nsearch a.example');
    assert.deepEqual(
      (await resolver.resolve('db', { family: 4 })).tried.map((q) => q.name),
      ['db.a.example.', 'db.'],
    );
    assert.deepEqual(
      (await resolver.resolve('db.x', { family: 4 })).tried.map((q) => q.name),
      ['db.x.'],
    );
  });
});

describe('musl: what stops the search', () => {
  it('stops at NODATA (EAI_NODATA), where glibc goes on', async () => {
    const { resolver } = setup({
      'api.default.svc.cluster.local.': 'nodata',
      'api.svc.cluster.local.': { A: ['10.0.0.9'] },
    });
    const result = await resolver.resolve('api');
    assert.deepEqual(tried(result), [
      'api.default.svc.cluster.local. A NOERROR',
      'api.default.svc.cluster.local. AAAA NOERROR',
    ]);
    assert.equal(result.failure, 'NO_DATA');
    assert.deepEqual(result.addresses, []);
  });

  it('goes on when either of A and AAAA is NXDOMAIN', async () => {
    const { resolver } = setup({
      [NGINX]: { A: 'nxdomain', AAAA: ['fd00::1'] },
      'nginx.svc.cluster.local.': { A: ['10.0.0.2'] },
    });
    const result = await resolver.resolve('nginx');
    assert.deepEqual(result.addresses, [{ address: '10.0.0.2', family: 4 }]);
    assert.equal(result.tried.length, 4);
  });

  it('re-sends a SERVFAIL at once (twice per query per round), then fails with EAI_AGAIN at the timeout', async () => {
    const { resolver, clock } = setup({
      'web.default.svc.cluster.local.': 'servfail',
      'web.svc.cluster.local.': { A: ['10.0.0.5'] },
    });
    const result = await resolver.resolve('web', { family: 4 });
    // Round one at 0 s and round two at 2.5 s (timeout:5 attempts:2): 1 send + 2 re-sends each.
    assert.deepEqual(tried(result), Array(6).fill('web.default.svc.cluster.local. A SERVFAIL'));
    assert.equal(result.failure, 'TRY_AGAIN');
    assert.equal(clock.elapsed(), 5000);
  });

  it('ignores REFUSED: waits out the timeout, re-sending each interval, and stops', async () => {
    const { resolver, clock } = setup({ 'web.default.svc.cluster.local.': 'refused' });
    const result = await resolver.resolve('web', { family: 4 });
    assert.deepEqual(tried(result), Array(2).fill('web.default.svc.cluster.local. A REFUSED'));
    assert.equal(result.failure, 'TRY_AGAIN');
    assert.equal(clock.elapsed(), 5000);
  });

  it('sends to every nameserver at once and stops at the timeout', async () => {
    const conf = 'nameserver 10.0.0.1\nnameserver 10.0.0.2\noptions timeout:3 attempts:3';
    const { resolver, clock } = setup({ 'slow.': 'timeout' }, conf);
    const result = await resolver.resolve('slow', { family: 4 });
    assert.deepEqual(
      result.tried.map((query) => `${query.nameserver} ${query.rcode}`),
      Array(3).fill(['10.0.0.1 TIMEOUT', '10.0.0.2 TIMEOUT']).flat(),
    );
    assert.equal(result.failure, 'TRY_AGAIN');
    assert.equal(clock.elapsed(), 3000);
  });

  it('fails with EAI_AGAIN when A times out even if AAAA answered', async () => {
    const { resolver } = setup({ [NGINX]: { A: 'timeout', AAAA: ['fd00::1'] } });
    const result = await resolver.resolve('nginx');
    assert.equal(result.failure, 'TRY_AGAIN');
    assert.deepEqual(result.addresses, []);
  });

  it('lists AAAA addresses before A ones (it parses the last reply first)', async () => {
    const { resolver } = setup({ [NGINX]: { A: ['10.0.0.1'], AAAA: ['fd00::1'] } });
    const result = await resolver.resolve('nginx');
    assert.deepEqual(
      result.addresses.map((a) => a.family),
      [6, 4],
    );
  });
});
