import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeQuery } from '../wire/index.js';
import { QueryContext } from './context.js';
import { InFlightList } from './in-flight.js';

function context(name: string, timeoutMs: number): QueryContext {
  const request = makeQuery(name);
  const question = request.questions[0];
  assert.ok(question !== undefined);
  const peer = { address: '127.0.0.1', port: 1, transport: 'memory', family: 'IPv4' } as const;
  return new QueryContext(
    request,
    question,
    name,
    '.',
    peer,
    { address: '', port: 0 },
    performance.now(),
    timeoutMs,
    40,
  );
}

describe('InFlightList', () => {
  it('expires queries at their deadlines, oldest first, with one shared timer', async () => {
    const expired: string[] = [];
    const list = new InFlightList((ctx) => expired.push(ctx.rawName));
    list.add(context('a.', 20));
    list.add(context('b.', 20));
    const c = context('c.', 20);
    list.add(c);
    list.remove(c);
    assert.equal(list.size, 2);
    await list.whenEmpty();
    assert.deepEqual(expired, ['a.', 'b.']);
    assert.equal(list.size, 0);
  });

  it('removes from any position and reports when empty', async () => {
    const list = new InFlightList(() => assert.fail('nothing should expire'));
    const items = ['a.', 'b.', 'c.', 'd.'].map((n) => context(n, 10_000));
    for (const item of items) list.add(item);
    list.remove(items[2] as QueryContext);
    list.remove(items[0] as QueryContext);
    list.remove(items[0] as QueryContext); // twice is harmless
    assert.deepEqual(
      [...list.entries()].map((c) => c.rawName),
      ['b.', 'd.'],
    );
    const empty = list.whenEmpty();
    list.remove(items[3] as QueryContext);
    list.remove(items[1] as QueryContext);
    await empty;
    assert.equal(list.size, 0);
  });
});
