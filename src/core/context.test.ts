import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeQuery } from '../wire/index.js';
import type { DnsMessage } from '../wire/types.js';
import { QueryContext } from './context.js';
import type { Peer } from './types.js';

const peer: Peer = { address: '192.0.2.7', port: 4000, transport: 'udp', family: 'IPv4' };

function contextFor(request: DnsMessage): QueryContext {
  const question = request.questions[0];
  assert.ok(question !== undefined);
  const lower = { ...question, name: question.name.toLowerCase() };
  return new QueryContext(
    request,
    lower,
    question.name,
    '.',
    peer,
    { address: '127.0.0.1', port: 53 },
    100,
    50,
    40,
  );
}

describe('QueryContext', () => {
  it('reply() echoes ID, opcode and the question as spelled, copies RD and CD, sets QR', () => {
    const query = makeQuery('CaSe.Example.', 'MX', { id: 99 });
    const ctx = contextFor({ ...query, flags: { ...query.flags, cd: true, ad: true } });
    ctx.reply({ rcode: 'NXDOMAIN', authoritative: true });
    const r = ctx.response;
    assert.ok(r !== undefined);
    assert.equal(r.id, 99);
    assert.equal(r.opcode, 'QUERY');
    assert.equal(r.rcode, 'NXDOMAIN');
    assert.deepEqual(r.questions, [{ name: 'CaSe.Example.', type: 'MX', class: 'IN' }]);
    assert.deepEqual(r.flags, {
      qr: true,
      aa: true,
      tc: false,
      rd: true,
      ra: false,
      z: false,
      ad: false,
      cd: true,
    });
    assert.equal(r.edns, undefined);
  });

  it('reply() sets RA when asked and adds an OPT only for EDNS requests', () => {
    const ctx = contextFor(makeQuery('a.example.', 'A', { do: true }));
    ctx.reply({ recursionAvailable: true, ednsOptions: [{ code: 10, data: new Uint8Array(8) }] });
    assert.equal(ctx.response?.flags.ra, true);
    assert.equal(ctx.response?.edns?.udpPayloadSize, 1232);
    assert.equal(ctx.response?.edns?.do, true);
    assert.equal(ctx.response?.edns?.options.length, 1);
  });

  it('fail() writes an empty response and keeps the reason', () => {
    const ctx = contextFor(makeQuery('a.example.'));
    ctx.fail('SERVFAIL', 'upstream down');
    assert.equal(ctx.response?.rcode, 'SERVFAIL');
    assert.equal(ctx.response?.answers.length, 0);
    assert.equal(ctx.failure, 'upstream down');
  });

  it('exposes EDNS facts with the effective UDP size (at least 512)', () => {
    assert.equal(contextFor(makeQuery('a.example.')).edns, undefined);
    const small = contextFor(makeQuery('a.example.', 'A', { edns: { udpPayloadSize: 100 } }));
    assert.equal(small.edns?.maxUdpSize, 512);
    const large = contextFor(makeQuery('a.example.', 'A', { edns: { udpPayloadSize: 4096 } }));
    assert.equal(large.edns?.maxUdpSize, 4096);
  });

  it('makes vars and signal on first use; abort reaches signals made before or after', () => {
    const early = contextFor(makeQuery('a.example.'));
    assert.equal(early.vars, early.vars);
    const signal = early.signal;
    assert.equal(signal.aborted, false);
    early.abort(new Error('deadline'));
    assert.equal(signal.aborted, true);
    const late = contextFor(makeQuery('a.example.'));
    late.abort(new Error('deadline'));
    assert.equal(late.signal.aborted, true);
    assert.match(String(late.signal.reason), /deadline/);
  });

  it('computes its deadline and runs onSent callbacks, reporting the first throw', () => {
    const ctx = contextFor(makeQuery('a.example.'));
    assert.equal(ctx.deadline, 150);
    const sizes: number[] = [];
    ctx.onSent((size) => sizes.push(size));
    ctx.onSent(() => {
      throw new Error('callback broke');
    });
    ctx.onSent((size) => sizes.push(size * 2));
    ctx.reply();
    const failure = ctx.notifySent(40, ctx.response as DnsMessage);
    assert.deepEqual(sizes, [40, 80]);
    assert.match(String(failure), /callback broke/);
  });
});
