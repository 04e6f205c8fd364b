import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createServer } from '../../core/server.js';
import { directiveFrom, makeQuery, parseError } from '../../plugin-kit/test-helpers.js';
import type { DnsMessage, ResourceRecord } from '../../wire/types.js';
import { loadbalance, loadbalanceDefinition, shuffleResponse } from './index.js';

const a = (data: string): ResourceRecord => ({ name: 'example.org.', type: 'A', class: 'IN', ttl: 60, data });
const cname: ResourceRecord = {
  name: 'www.example.org.',
  type: 'CNAME',
  class: 'IN',
  ttl: 60,
  data: 'example.org.',
};
const mx = (exchange: string): ResourceRecord => ({
  name: 'example.org.',
  type: 'MX',
  class: 'IN',
  ttl: 60,
  data: { preference: 10, exchange },
});
const txt: ResourceRecord = { name: 'example.org.', type: 'TXT', class: 'IN', ttl: 60, data: ['x'] };

describe('loadbalance setup', () => {
  it('accepts the default and round_robin', () => {
    assert.deepEqual(loadbalanceDefinition.parse(directiveFrom('loadbalance')), { policy: 'round_robin' });
    assert.deepEqual(loadbalanceDefinition.parse(directiveFrom('loadbalance round_robin')), {
      policy: 'round_robin',
    });
  });

  it('rejects weighted, unknown policies and extra arguments at their line', () => {
    const weighted = parseError(() =>
      loadbalanceDefinition.parse(directiveFrom('loadbalance weighted w.txt')),
    );
    assert.equal(weighted.line, 2);
    assert.equal(weighted.detail, "the 'weighted' policy is not supported by dnskit yet");
    assert.equal(
      parseError(() => loadbalanceDefinition.parse(directiveFrom('loadbalance random'))).detail,
      'unknown policy: random',
    );
    assert.equal(
      parseError(() => loadbalanceDefinition.parse(directiveFrom('loadbalance round_robin x'))).detail,
      'unknown property for round_robin',
    );
  });
});

describe('loadbalance', () => {
  it('orders CNAME, others, addresses, MX, and shuffles only addresses and MX', () => {
    const response = {
      ...makeQuery('www.example.org.'),
      answers: [mx('a.'), a('192.0.2.1'), txt, cname, a('192.0.2.2'), mx('b.')],
    } as DnsMessage;
    const out = shuffleResponse(response, () => 0.99);
    assert.deepEqual(
      out.answers.map((r) => r.type),
      ['CNAME', 'TXT', 'A', 'A', 'MX', 'MX'],
    );
    assert.notEqual(out, response);
  });

  it('leaves errors and transfers alone', () => {
    const records = [a('192.0.2.1'), a('192.0.2.2')];
    const servfail = { ...makeQuery('example.org.'), rcode: 'SERVFAIL', answers: records } as DnsMessage;
    assert.equal(
      shuffleResponse(servfail, () => 0.9),
      servfail,
    );
    const axfr = { ...makeQuery('example.org.', 'AXFR'), answers: records } as DnsMessage;
    assert.equal(
      shuffleResponse(axfr, () => 0.9),
      axfr,
    );
  });

  it('rotates the answers over queries without mutating the message the next plugin wrote', async () => {
    const records = [a('192.0.2.1'), a('192.0.2.2'), a('192.0.2.3'), a('192.0.2.4')];
    const written: DnsMessage[] = [];
    const server = createServer({
      plugins: [
        loadbalance(),
        {
          name: 'static',
          handle: (ctx) => {
            ctx.reply({ answers: records });
            written.push(ctx.response as DnsMessage);
          },
        },
      ],
    });
    const orders = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const response = await server.exchange(makeQuery('example.org.'));
      const data = response.answers.map((r) => r.data as string);
      assert.deepEqual([...data].sort(), ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4']);
      orders.add(data.join(','));
    }
    assert.ok(orders.size > 1, 'the order never changed');
    for (const message of written) {
      assert.deepEqual(
        message.answers.map((r) => r.data),
        ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4'],
      );
    }
    await server.close();
  });
});
