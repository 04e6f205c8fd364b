import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createServer } from '../../core/server.js';
import { directiveFrom, makeQuery, parseError } from '../../plugin-kit/test-helpers.js';
import { whoami, whoamiDefinition } from './index.js';

describe('whoami setup', () => {
  it('accepts the bare directive', () => {
    assert.equal(whoamiDefinition.parse(directiveFrom('whoami')), undefined);
    assert.equal(whoamiDefinition.create(undefined).name, 'whoami');
  });

  it('rejects arguments at their line', () => {
    const error = parseError(() => whoamiDefinition.parse(directiveFrom('whoami extra')));
    assert.equal(error.line, 2);
    assert.match(error.message, /^Corefile:2 - Error during parsing: Wrong argument count .* after 'extra'$/);
  });

  it('rejects a block', () => {
    const error = parseError(() => whoamiDefinition.parse(directiveFrom('whoami {\n  foo\n}')));
    assert.equal(error.line, 2);
    assert.match(error.detail, /Wrong argument count/);
  });
});

describe('whoami', () => {
  const server = createServer({ plugins: [whoami()] });
  after(() => server.close());

  it('returns an IPv4 peer as A plus a _udp SRV, in ADDITIONAL, TTL 0, AA', async () => {
    const response = await server.exchange(makeQuery('example.org.'), {
      peer: { address: '10.240.0.1', port: 40212, transport: 'udp' },
    });
    assert.equal(response.rcode, 'NOERROR');
    assert.equal(response.flags.aa, true);
    assert.deepEqual(response.answers, []);
    assert.deepEqual(response.authorities, []);
    assert.deepEqual(response.additionals, [
      { name: 'example.org.', type: 'A', class: 'IN', ttl: 0, data: '10.240.0.1' },
      {
        name: '_udp.example.org.',
        type: 'SRV',
        class: 'IN',
        ttl: 0,
        data: { priority: 0, weight: 0, port: 40212, target: '.' },
      },
    ]);
  });

  it('returns an IPv6 peer as AAAA and labels TCP as _tcp', async () => {
    const response = await server.exchange(makeQuery('example.org.', 'MX'), {
      peer: { address: '::1', port: 5300, transport: 'tcp', family: 'IPv6' },
    });
    const [address, srv] = response.additionals;
    assert.deepEqual(address, { name: 'example.org.', type: 'AAAA', class: 'IN', ttl: 0, data: '::1' });
    assert.equal(srv?.name, '_tcp.example.org.');
    assert.deepEqual(srv?.data, { priority: 0, weight: 0, port: 5300, target: '.' });
  });

  it('answers an IPv4-mapped IPv6 peer with an A record', async () => {
    const response = await server.exchange(makeQuery('example.org.'), {
      peer: { address: '::ffff:192.0.2.7', port: 1, transport: 'udp', family: 'IPv6' },
    });
    assert.deepEqual(response.additionals[0], {
      name: 'example.org.',
      type: 'A',
      class: 'IN',
      ttl: 0,
      data: '192.0.2.7',
    });
  });

  it('keeps the client spelling of the name and uses _udp. for the root', async () => {
    const mixed = await server.exchange(makeQuery('WWW.Example.ORG.', 'TXT'));
    assert.deepEqual(
      mixed.additionals.map((record) => record.name),
      ['WWW.Example.ORG.', '_udp.WWW.Example.ORG.'],
    );
    const root = await server.exchange(makeQuery('.', 'NS'));
    assert.deepEqual(
      root.additionals.map((record) => record.name),
      ['.', '_udp.'],
    );
  });

  it('answers in class IN whatever the question class, so the A record stays parseable', async () => {
    const response = await server.exchange(makeQuery('example.org.', 'TXT', { class: 'CH' }), {
      peer: { address: '10.240.0.1', port: 53000, transport: 'udp' },
    });
    assert.deepEqual(
      response.additionals.map((record) => [record.type, record.class, record.data]),
      [
        ['A', 'IN', '10.240.0.1'],
        ['SRV', 'IN', { priority: 0, weight: 0, port: 53000, target: '.' }],
      ],
    );
  });
});
