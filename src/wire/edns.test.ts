import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMessage } from './decode.js';
import { EDNS_OPTION, maxUdpPayload } from './edns.js';
import { encodeMessage } from './encode.js';
import { EncodeError } from './errors.js';
import { makeQuery } from './query.js';
import type { DnsMessage, Edns } from './types.js';

function withEdns(edns: Edns, rcode = 'NOERROR'): DnsMessage {
  return { ...makeQuery('example.org.', 'A', { id: 1 }), rcode, edns };
}

describe('EDNS round-trips', () => {
  it('keeps payload size, version, DO, other flags and options in order', () => {
    const edns: Edns = {
      udpPayloadSize: 1400,
      version: 0,
      do: true,
      flags: 0x0101,
      options: [
        { code: EDNS_OPTION.COOKIE, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) },
        { code: EDNS_OPTION.NSID, data: new Uint8Array(0) },
        { code: 65001, data: new Uint8Array([9]) },
        { code: EDNS_OPTION.PADDING, data: new Uint8Array(17) },
      ],
    };
    const bytes = encodeMessage(withEdns(edns));
    assert.deepEqual(decodeMessage(bytes).edns, edns);
    // OPT header: root owner, type 41, class = payload, TTL = ext-rcode 0, version 0, DO + 0x0101.
    const opt = bytes.length - (11 + 12 + 4 + 5 + 21);
    assert.deepEqual([...bytes.subarray(opt, opt + 9)], [0, 0, 41, 0x05, 0x78, 0, 0, 0x81, 0x01]);
  });

  it('carries extended rcodes in the OPT TTL (RFC 6891 6.1.3)', () => {
    const edns: Edns = { udpPayloadSize: 512, version: 0, do: false, options: [] };
    for (const [rcode, value] of [
      ['BADVERS', 16],
      ['BADCOOKIE', 23],
      ['RCODE4095', 4095],
      ['NXDOMAIN', 3],
    ] as const) {
      const bytes = encodeMessage(withEdns(edns, rcode));
      assert.equal(bytes[3]! & 0x0f, value & 0x0f, rcode);
      assert.equal(bytes[bytes.length - 6], value >>> 4, rcode);
      assert.equal(decodeMessage(bytes).rcode, rcode);
    }
  });

  it('validates EDNS fields', () => {
    const bad = (edns: Partial<Edns>) => () =>
      encodeMessage(withEdns({ udpPayloadSize: 512, version: 0, do: false, options: [], ...edns }));
    const isBadField = (error: unknown) => error instanceof EncodeError && error.code === 'bad-field';
    assert.throws(bad({ udpPayloadSize: 70000 }), isBadField);
    assert.throws(bad({ version: 256 }), isBadField);
    assert.throws(bad({ flags: 0x8000 }), isBadField);
    assert.throws(bad({ options: [{ code: 70000, data: new Uint8Array(0) }] }), isBadField);
  });
});

describe('maxUdpPayload', () => {
  it('is 512 without EDNS and never below 512', () => {
    const query = makeQuery('a.', 'A');
    assert.equal(maxUdpPayload(query), 512);
    assert.equal(
      maxUdpPayload({ ...query, edns: { udpPayloadSize: 100, version: 0, do: false, options: [] } }),
      512,
    );
    assert.equal(
      maxUdpPayload({ ...query, edns: { udpPayloadSize: 4096, version: 0, do: false, options: [] } }),
      4096,
    );
  });
});

describe('makeQuery', () => {
  it('builds a recursive query without EDNS by default', () => {
    const query = makeQuery('Example.ORG', 'MX', { id: 77 });
    assert.equal(query.id, 77);
    assert.equal(query.flags.rd, true);
    assert.equal(query.flags.qr, false);
    assert.deepEqual(query.questions, [{ name: 'Example.ORG.', type: 'MX', class: 'IN' }]);
    assert.equal(query.edns, undefined);
    assert.deepEqual(decodeMessage(encodeMessage(query)), query);
  });
  it('adds EDNS on request, and for DO', () => {
    assert.deepEqual(makeQuery('a.', 'A', { edns: true }).edns, {
      udpPayloadSize: 1232,
      version: 0,
      do: false,
      options: [],
    });
    assert.equal(makeQuery('a.', 'A', { do: true }).edns?.do, true);
    assert.equal(
      makeQuery('a.', 'A', { edns: { udpPayloadSize: 4096 }, do: true }).edns?.udpPayloadSize,
      4096,
    );
    assert.equal(makeQuery('a.', 'A', { edns: false }).edns, undefined);
    assert.equal(makeQuery('a.', 'A', { rd: false, class: 'CH' }).questions[0]?.class, 'CH');
  });
  it('picks random ids', () => {
    const ids = new Set(Array.from({ length: 64 }, () => makeQuery('a.').id));
    assert.ok(ids.size > 32);
    for (const id of ids) assert.ok(Number.isInteger(id) && id >= 0 && id <= 0xffff);
  });
});
