import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeMessage, makeQuery } from '../wire/index.js';
import type { DnsMessage, ResourceRecord } from '../wire/types.js';
import { silentLogger } from './logger.js';
import { createServer } from './server.js';
import type { DnsContext, Middleware, Plugin } from './types.js';

const answerA: Middleware = (ctx) => {
  ctx.reply({ answers: [{ name: ctx.rawName, type: 'A', class: 'IN', ttl: 60, data: '192.0.2.1' }] });
};

function server(...handlers: Middleware[]) {
  return createServer({
    plugins: handlers.map((handle, i) => ({ name: `m${i}`, handle })),
    logger: silentLogger,
  });
}

function bytesOf(message: DnsMessage): Uint8Array {
  return encodeMessage(message);
}

describe('exchange: answering', () => {
  it('echoes ID, opcode and the question as spelled; copies RD and CD; sets AA and RA from reply()', async () => {
    const s = server((ctx) => ctx.reply({ authoritative: true, recursionAvailable: true }));
    const q = makeQuery('WwW.Example.ORG.', 'AAAA', { id: 4242 });
    const r = await s.exchange({ ...q, flags: { ...q.flags, cd: true } });
    assert.equal(r.id, 4242);
    assert.equal(r.opcode, 'QUERY');
    assert.deepEqual(r.questions, [{ name: 'WwW.Example.ORG.', type: 'AAAA', class: 'IN' }]);
    assert.equal(r.flags.qr, true);
    assert.equal(r.flags.rd, true);
    assert.equal(r.flags.cd, true);
    assert.equal(r.flags.aa, true);
    assert.equal(r.flags.ra, true);
    const plain = await server((ctx) => ctx.reply()).exchange(makeQuery('a.example.', 'A', { rd: false }));
    assert.equal(plain.flags.rd, false);
    assert.equal(plain.flags.aa, false);
    assert.equal(plain.flags.ra, false);
  });

  it('gives plugins the lowercased question and the raw name', async () => {
    let seen: DnsContext | undefined;
    const s = server((ctx) => {
      seen = ctx;
      ctx.reply();
    });
    await s.exchange(makeQuery('MiXeD.Example.', 'TXT'));
    assert.equal(seen?.question.name, 'mixed.example.');
    assert.equal(seen?.rawName, 'MiXeD.Example.');
    assert.equal(seen?.zone, '.');
    assert.deepEqual(seen?.peer, { address: '127.0.0.1', port: 53000, transport: 'memory', family: 'IPv4' });
  });

  it('lets exchange pretend another peer', async () => {
    let peer: unknown;
    const s = server((ctx) => {
      peer = ctx.peer;
      ctx.reply();
    });
    await s.exchange(makeQuery('a.example.'), { peer: { address: '2001:db8::1', port: 1234 } });
    assert.deepEqual(peer, { address: '2001:db8::1', port: 1234, transport: 'memory', family: 'IPv6' });
  });
});

describe('exchange: header rules', () => {
  const s = server(answerA);

  it('drops packets shorter than a header and responses', async () => {
    await assert.rejects(s.exchange(new Uint8Array(11)), /dropped/);
    const q = makeQuery('a.example.');
    await assert.rejects(s.exchange({ ...q, flags: { ...q.flags, qr: true } }), /dropped/);
  });

  it('answers FORMERR to an undecodable message with a readable header', async () => {
    const bytes = bytesOf(makeQuery('a.example.', 'A', { id: 777 }));
    const cut = bytes.slice(0, bytes.length - 3); // the question runs past the end
    const r = await s.exchange(cut);
    assert.equal(r.rcode, 'FORMERR');
    assert.equal(r.id, 777);
    assert.equal(r.opcode, 'QUERY');
    assert.equal(r.flags.rd, true);
    assert.equal(r.flags.qr, true);
    assert.deepEqual(r.questions, []);
  });

  it('answers NOTIMP to opcodes other than QUERY', async () => {
    const r = await s.exchange({ ...makeQuery('a.example.'), opcode: 'NOTIFY' });
    assert.equal(r.rcode, 'NOTIMP');
    assert.equal(r.opcode, 'NOTIFY');
    assert.equal(r.answers.length, 0);
  });

  it('answers FORMERR unless there is exactly one question', async () => {
    const q = makeQuery('a.example.');
    const none = await s.exchange({ ...q, questions: [] });
    assert.equal(none.rcode, 'FORMERR');
    const two = await s.exchange({
      ...q,
      questions: [...q.questions, { name: 'b.example.', type: 'A', class: 'IN' }],
    });
    assert.equal(two.rcode, 'FORMERR');
    assert.equal(two.answers.length, 0);
  });

  it('answers BADVERS with an OPT of version 0 to EDNS versions above 0 (RFC 6891 6.1.3)', async () => {
    const r = await s.exchange(makeQuery('a.example.', 'A', { edns: { version: 1 } }));
    assert.equal(r.rcode, 'BADVERS');
    assert.equal(r.edns?.version, 0);
    assert.equal(r.answers.length, 0);
  });

  it('answers REFUSED when no block serves the name', async () => {
    const zoned = createServer({
      zones: ['example.org.'],
      plugins: [{ name: 'a', handle: answerA }],
      logger: silentLogger,
    });
    assert.equal((await zoned.exchange(makeQuery('www.example.org.'))).rcode, 'NOERROR');
    assert.equal((await zoned.exchange(makeQuery('www.example.com.'))).rcode, 'REFUSED');
  });

  it('routes to the block with the longest zone', async () => {
    const tag = (text: string): Plugin => ({
      name: text,
      handle: (ctx) =>
        ctx.reply({ answers: [{ name: ctx.rawName, type: 'TXT', class: 'IN', ttl: 0, data: [text] }] }),
    });
    const blocks = createServer({
      logger: silentLogger,
      blocks: [
        { zones: ['example.org.'], plugins: [tag('outer')] },
        { zones: ['deep.example.org.'], plugins: [tag('inner')] },
      ],
    });
    const inner = await blocks.exchange(makeQuery('x.deep.example.org.', 'TXT'));
    const outer = await blocks.exchange(makeQuery('x.example.org.', 'TXT'));
    assert.deepEqual(inner.answers[0]?.data, ['inner']);
    assert.deepEqual(outer.answers[0]?.data, ['outer']);
  });
});

describe('exchange: chain outcomes', () => {
  it('answers SERVFAIL when nobody answered', async () => {
    const r = await server((_ctx, next) => next()).exchange(makeQuery('a.example.'));
    assert.equal(r.rcode, 'SERVFAIL');
  });

  it('answers SERVFAIL and emits error when a plugin throws', async () => {
    const s = server(() => {
      throw new Error('plugin broke');
    });
    const errors: [Error, DnsContext | undefined][] = [];
    s.on('error', (error, ctx) => errors.push([error, ctx]));
    const r = await s.exchange(makeQuery('a.example.'));
    assert.equal(r.rcode, 'SERVFAIL');
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.[0].message ?? '', /plugin broke/);
    assert.equal(errors[0]?.[1]?.rawName, 'a.example.');
    assert.match(String(errors[0]?.[1]?.failure), /plugin broke/);
  });

  it('answers SERVFAIL at the deadline and aborts the signal', async () => {
    let signal: AbortSignal | undefined;
    const s = createServer({
      queryTimeoutMs: 50,
      logger: silentLogger,
      plugins: [
        {
          name: 'slow',
          handle: (ctx) => {
            signal = ctx.signal;
            return new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
          },
        },
      ],
    });
    const started = performance.now();
    const r = await s.exchange(makeQuery('a.example.'));
    assert.equal(r.rcode, 'SERVFAIL');
    assert.ok(performance.now() - started >= 45, 'waited for the deadline');
    assert.equal(signal?.aborted, true);
  });

  it('answers SERVFAIL and emits error when the response cannot be encoded', async () => {
    const s = server((ctx) =>
      ctx.reply({
        answers: [{ name: ctx.rawName, type: 'A', class: 'IN', ttl: 60, data: 'not-an-address' }],
      }),
    );
    const errors: Error[] = [];
    s.on('error', (error) => errors.push(error));
    const r = await s.exchange(makeQuery('a.example.'));
    assert.equal(r.rcode, 'SERVFAIL');
    assert.equal(errors.length, 1);
  });

  it('keeps fail() rcodes and reasons', async () => {
    let failure: unknown;
    const s = server(
      async (ctx, next) => {
        await next();
        failure = ctx.failure;
      },
      (ctx) => ctx.fail('NXDOMAIN', 'no such host'),
    );
    const r = await s.exchange(makeQuery('a.example.'));
    assert.equal(r.rcode, 'NXDOMAIN');
    assert.equal(failure, 'no such host');
  });
});

describe('exchange: EDNS and sizes', () => {
  it('adds an OPT only when the request had one, echoing DO and carrying plugin options', async () => {
    const s = server((ctx) => ctx.reply({ ednsOptions: [{ code: 3, data: new Uint8Array([1, 2]) }] }));
    const withDo = await s.exchange(
      makeQuery('a.example.', 'A', { do: true, edns: { udpPayloadSize: 4096 } }),
    );
    assert.equal(withDo.edns?.udpPayloadSize, 1232);
    assert.equal(withDo.edns?.do, true);
    assert.deepEqual(
      withDo.edns?.options.map((o) => [o.code, [...o.data]]),
      [[3, [1, 2]]],
    );
    const withoutDo = await s.exchange(makeQuery('a.example.', 'A', { edns: true }));
    assert.equal(withoutDo.edns?.do, false);
    const none = await s.exchange(makeQuery('a.example.'));
    assert.equal(none.edns, undefined);
  });

  it('fits a response a plugin built by hand: request ID, OPT only with EDNS', async () => {
    const s = server((ctx) => {
      ctx.response = {
        ...makeQuery('other.', 'A', { id: 1, edns: true }),
        flags: { ...ctx.request.flags, qr: true },
      };
    });
    const r = await s.exchange(makeQuery('a.example.', 'A', { id: 999 }));
    assert.equal(r.id, 999);
    assert.equal(r.edns, undefined);
  });

  it('truncates UDP answers to the client size and sets TC; TCP and memory get everything', async () => {
    const many: ResourceRecord[] = [];
    for (let i = 0; i < 60; i++)
      many.push({ name: 'big.example.', type: 'A', class: 'IN', ttl: 60, data: `192.0.2.${i}` });
    const s = server((ctx) => ctx.reply({ answers: many }));
    const udp = await s.exchange(makeQuery('big.example.'), { peer: { transport: 'udp' } });
    assert.equal(udp.flags.tc, true);
    assert.ok(udp.answers.length < 60);
    const memory = await s.exchange(makeQuery('big.example.'));
    assert.equal(memory.flags.tc, false);
    assert.equal(memory.answers.length, 60);
  });
});

describe('exchange: events and lifecycle', () => {
  it('emits query and response, and runs onSent with the wire size', async () => {
    let sentSize = 0;
    const s = server((ctx) => {
      ctx.onSent((size) => {
        sentSize = size;
      });
      return answerA(ctx, () => Promise.resolve());
    });
    const seen: string[] = [];
    s.on('query', (ctx) => seen.push(`query ${ctx.question.name}`));
    s.on('response', (_ctx, response, ms) => seen.push(`response ${response.rcode} ${ms >= 0}`));
    const q = makeQuery('a.example.');
    await s.exchange(q);
    assert.deepEqual(seen, ['query a.example.', 'response NOERROR true']);
    assert.equal(sentSize, encodeMessage({ ...q, answers: [] }).length + 16);
  });

  it('configures once at build, starts plugins lazily on exchange, stops them on close', async () => {
    const log: string[] = [];
    const plugin: Plugin = {
      name: 'life',
      handle: answerA,
      configure: (block) => {
        log.push(`configure ${block.listen.length}`);
      },
      start: (env) => {
        log.push(`start ${env.zones.join(',')}`);
      },
      stop: () => {
        log.push('stop');
      },
      ready: () => log.includes('start example.org.'),
    };
    const s = createServer({ zones: ['Example.org'], plugins: [plugin], logger: silentLogger });
    assert.deepEqual(log, ['configure 0']);
    assert.equal(s.ready(), false);
    await s.exchange(makeQuery('example.org.'));
    await s.exchange(makeQuery('example.org.'));
    assert.deepEqual(log, ['configure 0', 'start example.org.']);
    assert.equal(s.ready(), true);
    await s.close();
    assert.deepEqual(log, ['configure 0', 'start example.org.', 'stop']);
    await assert.rejects(s.exchange(makeQuery('example.org.')), /closed/);
  });

  it('refuses a zone served twice on one port', () => {
    assert.throws(
      () =>
        createServer({
          logger: silentLogger,
          blocks: [
            { zones: ['example.org.'], port: 5300, plugins: [] },
            { zones: ['example.org.'], port: 5300, plugins: [] },
          ],
        }),
      /more than once/,
    );
  });
});
