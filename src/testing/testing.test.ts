import { AssertionError } from 'node:assert';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Middleware } from '../core/types.js';
import type { DnsMessage } from '../wire/types.js';
import { answers, assertAnswers, assertRcode, query, testServer } from './index.js';

const twoRecords: Middleware = (ctx) =>
  ctx.reply({
    authoritative: true,
    answers: [
      { name: ctx.rawName, type: 'A', class: 'IN', ttl: 60, data: '192.0.2.1' },
      { name: ctx.rawName, type: 'A', class: 'IN', ttl: 60, data: '192.0.2.2' },
    ],
    authorities: [
      {
        name: 'example.org.',
        type: 'SOA',
        class: 'IN',
        ttl: 300,
        data: {
          mname: 'ns.example.org.',
          rname: 'host.example.org.',
          serial: 1,
          refresh: 2,
          retry: 3,
          expire: 4,
          minimum: 5,
        },
      },
    ],
  });

async function response(): Promise<DnsMessage> {
  return testServer([twoRecords]).exchange(query('Www.Example.org.'));
}

describe('query', () => {
  it('builds a recursive query with the name as written', () => {
    const q = query('Www.Example.org', 'MX', { id: 7 });
    assert.equal(q.id, 7);
    assert.equal(q.flags.rd, true);
    assert.deepEqual(q.questions, [{ name: 'Www.Example.org.', type: 'MX', class: 'IN' }]);
    assert.equal(query('a.example.').questions[0]?.type, 'A');
  });
});

describe('answers', () => {
  it('lists a section in presentation format', async () => {
    const r = await response();
    assert.equal(answers(r).length, 2);
    assert.match(answers(r)[0] ?? '', /^Www\.Example\.org\.\s+60\s+IN\s+A\s+192\.0\.2\.1$/);
    assert.equal(answers(r, 'authorities').length, 1);
    assert.deepEqual(answers(r, 'additionals'), []);
  });
});

describe('assertAnswers', () => {
  it('passes in any order, with any whitespace', async () => {
    const r = await response();
    assertAnswers(r, ['Www.Example.org.   60 IN A 192.0.2.2', 'Www.Example.org. 60  IN\tA 192.0.2.1']);
  });

  it('can ignore TTLs, whether or not the expected lines have one', async () => {
    const r = await response();
    assertAnswers(r, ['Www.Example.org. IN A 192.0.2.1', 'Www.Example.org. 1 IN A 192.0.2.2'], {
      ignoreTtl: true,
    });
    assert.throws(() =>
      assertAnswers(r, ['Www.Example.org. 1 IN A 192.0.2.1', 'Www.Example.org. 60 IN A 192.0.2.2']),
    );
  });

  it('checks order when asked', async () => {
    const r = await response();
    assertAnswers(r, ['Www.Example.org. 60 IN A 192.0.2.1', 'Www.Example.org. 60 IN A 192.0.2.2'], {
      ordered: true,
    });
    assert.throws(
      () =>
        assertAnswers(r, ['Www.Example.org. 60 IN A 192.0.2.2', 'Www.Example.org. 60 IN A 192.0.2.1'], {
          ordered: true,
        }),
      /different order/,
    );
  });

  it('fails with a readable diff', async () => {
    const r = await response();
    assert.throws(
      () => assertAnswers(r, ['Www.Example.org. 60 IN A 192.0.2.1', 'Www.Example.org. 60 IN A 192.0.2.9']),
      (error: unknown) => {
        assert.ok(error instanceof AssertionError);
        assert.match(error.message, /^- Www\.Example\.org\. 60 IN A 192\.0\.2\.9$/m);
        assert.match(error.message, /^\+ Www\.Example\.org\. 60 IN A 192\.0\.2\.2$/m);
        return true;
      },
    );
    assert.throws(() => assertAnswers(r, []), AssertionError);
  });

  it('checks other sections', async () => {
    // Lowercase question: name compression may borrow the question's spelling for later names.
    const r = await testServer([twoRecords]).exchange(query('www.example.org.'));
    assertAnswers(r, ['example.org. 300 IN SOA ns.example.org. host.example.org. 1 2 3 4 5'], {
      section: 'authorities',
    });
    assertAnswers(r, [], { section: 'additionals' });
  });
});

describe('assertRcode', () => {
  it('passes on the right rcode and explains the wrong one', async () => {
    const server = testServer([(ctx) => ctx.fail('NXDOMAIN')]);
    const r = await server.exchange(query('nope.example.'));
    assertRcode(r, 'NXDOMAIN');
    assert.throws(
      () => assertRcode(r, 'NOERROR'),
      /expected rcode NOERROR, got NXDOMAIN for nope\.example\. A/,
    );
  });
});

describe('testServer', () => {
  it('accepts bare middlewares, plugins, or full options, and never listens', async () => {
    const bare = testServer([twoRecords]);
    assert.deepEqual(bare.addresses(), []);
    const plugin = testServer([{ name: 'p', handle: twoRecords }]);
    assertRcode(await plugin.exchange(query('a.example.')), 'NOERROR');
    const zoned = testServer({ zones: ['example.org.'], plugins: [{ name: 'p', handle: twoRecords }] });
    assertRcode(await zoned.exchange(query('a.example.net.')), 'REFUSED');
    assertRcode(await zoned.exchange(query('a.example.org.')), 'NOERROR');
    await Promise.all([bare.close(), plugin.close(), zoned.close()]);
  });
});
