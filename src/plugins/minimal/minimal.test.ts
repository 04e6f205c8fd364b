import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createServer } from '../../core/server.js';
import type { DnsContext, Plugin, ReplyInit } from '../../core/types.js';
import { directiveFrom, makeQuery, parseError } from '../../plugin-kit/test-helpers.js';
import type { DnsMessage, ResourceRecord } from '../../wire/types.js';
import { minimal, minimalDefinition, minimizeResponse } from './index.js';

const answer: ResourceRecord = { name: 'example.org.', type: 'A', class: 'IN', ttl: 300, data: '192.0.2.1' };
const ns: ResourceRecord = {
  name: 'example.org.',
  type: 'NS',
  class: 'IN',
  ttl: 300,
  data: 'ns.example.org.',
};
const glue: ResourceRecord = {
  name: 'ns.example.org.',
  type: 'A',
  class: 'IN',
  ttl: 300,
  data: '192.0.2.53',
};
const soa: ResourceRecord = {
  name: 'example.org.',
  type: 'SOA',
  class: 'IN',
  ttl: 300,
  data: {
    mname: 'ns.example.org.',
    rname: 'h.example.org.',
    serial: 1,
    refresh: 7200,
    retry: 3600,
    expire: 1209600,
    minimum: 300,
  },
};

/** A plugin that replies with a fixed init and remembers the message it wrote. */
function fixed(init: ReplyInit): Plugin & { written: DnsMessage[] } {
  const written: DnsMessage[] = [];
  return {
    name: 'fixed',
    written,
    handle(ctx: DnsContext) {
      ctx.reply(init);
      if (ctx.response !== undefined) written.push(ctx.response);
    },
  };
}

async function through(init: ReplyInit, query = makeQuery('example.org.')): Promise<DnsMessage> {
  const server = createServer({ plugins: [minimal(), fixed(init)] });
  try {
    return await server.exchange(query);
  } finally {
    await server.close();
  }
}

describe('minimal setup', () => {
  it('accepts the bare directive and rejects arguments', () => {
    assert.equal(minimalDefinition.parse(directiveFrom('minimal')), undefined);
    const error = parseError(() => minimalDefinition.parse(directiveFrom('minimal yes')));
    assert.equal(error.line, 2);
    assert.match(error.detail, /after 'yes'/);
  });
});

describe('minimal', () => {
  it('strips AUTHORITY and ADDITIONAL from a positive answer, keeping EDNS', async () => {
    const response = await through(
      { answers: [answer], authorities: [ns], additionals: [glue] },
      makeQuery('example.org.', 'A', { edns: { udpPayloadSize: 1232 } }),
    );
    assert.deepEqual(response.answers, [answer]);
    assert.deepEqual(response.authorities, []);
    assert.deepEqual(response.additionals, []);
    assert.notEqual(response.edns, undefined);
  });

  it('keeps the SOA of NXDOMAIN and NODATA responses', async () => {
    const nxdomain = await through({ rcode: 'NXDOMAIN', authorities: [soa] });
    assert.deepEqual(nxdomain.authorities, [soa]);
    const nodata = await through({ authorities: [soa], additionals: [glue] });
    assert.deepEqual(nodata.authorities, [soa]);
    assert.deepEqual(nodata.additionals, [glue]);
  });

  it('keeps referrals with their glue', async () => {
    const response = await through({ authorities: [ns], additionals: [glue] });
    assert.deepEqual(response.authorities, [ns]);
    assert.deepEqual(response.additionals, [glue]);
  });

  it('leaves error responses alone', async () => {
    const response = await through({ rcode: 'SERVFAIL', answers: [answer], authorities: [ns] });
    assert.deepEqual(response.answers, [answer]);
    assert.deepEqual(response.authorities, [ns]);
  });

  it('replaces the response with a copy instead of changing the one the next plugin wrote', async (t) => {
    const inner = fixed({ answers: [answer], authorities: [ns], additionals: [glue] });
    const server = createServer({ plugins: [minimal(), inner] });
    t.after(() => server.close());
    const response = await server.exchange(makeQuery('example.org.'));
    assert.deepEqual(response.additionals, []);
    assert.deepEqual(inner.written[0]?.authorities, [ns]);
    assert.deepEqual(inner.written[0]?.additionals, [glue]);
  });

  it('minimizeResponse returns the same object when nothing changes', () => {
    const message: DnsMessage = { ...makeQuery('example.org.'), answers: [answer] };
    assert.equal(minimizeResponse(message), message);
  });
});
