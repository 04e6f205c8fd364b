import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as packet from 'dns-packet';
import { decodeMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import { EncodeError, type EncodeErrorCode } from './errors.js';
import type { DnsMessage, ResourceRecord } from './types.js';

const FLAGS = { qr: true, aa: false, tc: false, rd: true, ra: true, z: false, ad: false, cd: false };

function response(answers: ResourceRecord[], extra: Partial<DnsMessage> = {}): DnsMessage {
  return {
    id: 0xbeef,
    opcode: 'QUERY',
    rcode: 'NOERROR',
    flags: FLAGS,
    questions: [{ name: 'www.example.org.', type: 'A', class: 'IN' }],
    answers,
    authorities: [],
    additionals: [],
    ...extra,
  };
}

function rr(name: string, type: string, data: unknown, ttl = 300): ResourceRecord {
  return { name, type, class: 'IN', ttl, data } as ResourceRecord;
}

function rejects(message: DnsMessage, code: EncodeErrorCode): void {
  assert.throws(
    () => encodeMessage(message),
    (error: unknown) => error instanceof EncodeError && error.code === code,
    code,
  );
}

function indexOf(haystack: Uint8Array, needle: number[]): number {
  return Buffer.from(haystack).indexOf(Buffer.from(needle));
}

describe('encodeMessage: header', () => {
  it('writes id, opcode, rcode and flags', () => {
    const bytes = encodeMessage(response([], { opcode: 'NOTIFY', rcode: 'NXDOMAIN' }));
    assert.deepEqual([...bytes.subarray(0, 4)], [0xbe, 0xef, 0x80 | (4 << 3) | 0x01, 0x80 | 3]);
    const decoded = decodeMessage(bytes);
    assert.equal(decoded.opcode, 'NOTIFY');
    assert.equal(decoded.rcode, 'NXDOMAIN');
    assert.deepEqual(decoded.flags, FLAGS);
  });
});

describe('encodeMessage: compression', () => {
  it('points owner names at the question when spelled alike', () => {
    const bytes = encodeMessage(response([rr('www.example.org.', 'A', '192.0.2.1')]));
    const questionEnd = 12 + 17 + 4;
    assert.deepEqual([...bytes.subarray(questionEnd, questionEnd + 2)], [0xc0, 0x0c]);
    assert.equal(bytes.length, questionEnd + 2 + 10 + 4);
  });

  it('keeps each spelling: compression is case-sensitive, as in BIND', () => {
    const bytes = encodeMessage(
      response([rr('WWW.EXAMPLE.ORG.', 'A', '192.0.2.1'), rr('www.Example.org.', 'A', '192.0.2.2')]),
    );
    const decoded = decodeMessage(bytes);
    assert.deepEqual(
      decoded.answers.map((r) => r.name),
      ['WWW.EXAMPLE.ORG.', 'www.Example.org.'],
    );
    // The shared suffix "org." is still compressed: only 'org' in the question is spelled out.
    assert.equal(indexOf(bytes.subarray(30), [3, ...Buffer.from('org')]), -1);
  });

  it('compresses NS, CNAME, PTR, MX and SOA RDATA names', () => {
    const bytes = encodeMessage(
      response([
        rr('www.example.org.', 'CNAME', 'example.org.'),
        rr('example.org.', 'MX', { preference: 1, exchange: 'mail.example.org.' }),
        rr('example.org.', 'NS', 'ns.example.org.'),
      ]),
    );
    // 'example.org.' never appears uncompressed after the question.
    assert.equal(indexOf(bytes.subarray(30), [7, ...Buffer.from('example')]), -1);
    assert.deepEqual(
      decodeMessage(bytes).answers.map((r) => r.data),
      ['example.org.', { preference: 1, exchange: 'mail.example.org.' }, 'ns.example.org.'],
    );
  });

  it('never compresses names in SRV, NAPTR, DNAME or unknown RDATA (RFC 3597 4)', () => {
    const target = [3, ...Buffer.from('www'), 7, ...Buffer.from('example'), 3, ...Buffer.from('org'), 0];
    for (const record of [
      rr('example.org.', 'SRV', { priority: 1, weight: 2, port: 3, target: 'www.example.org.' }),
      rr('example.org.', 'NAPTR', {
        order: 1,
        preference: 2,
        flags: 'S',
        services: 'SIP+D2U',
        regexp: '',
        replacement: 'www.example.org.',
      }),
      rr('example.org.', 'DNAME', 'www.example.org.'),
    ]) {
      const bytes = encodeMessage(response([record]));
      assert.ok(indexOf(bytes.subarray(30), target) > 0, record.type);
      assert.deepEqual(decodeMessage(bytes).answers[0], record);
    }
  });

  it('produces bytes dns-packet can read', () => {
    const bytes = encodeMessage(
      response([
        rr('www.example.org.', 'A', '192.0.2.1'),
        rr('www.example.org.', 'AAAA', '2001:db8::1'),
        rr('example.org.', 'SOA', {
          mname: 'ns.example.org.',
          rname: 'hostmaster.example.org.',
          serial: 2024010101,
          refresh: 7200,
          retry: 3600,
          expire: 1209600,
          minimum: 300,
        }),
        rr('example.org.', 'TXT', ['v=spf1 -all', 'ünïcode']),
      ]),
    );
    const decoded = packet.decode(Buffer.from(bytes));
    assert.deepEqual(
      decoded.answers?.map((a) => [a.name, a.type]),
      [
        ['www.example.org', 'A'],
        ['www.example.org', 'AAAA'],
        ['example.org', 'SOA'],
        ['example.org', 'TXT'],
      ],
    );
    const soa = decoded.answers?.[2];
    assert.equal(soa?.type === 'SOA' && soa.data.rname, 'hostmaster.example.org');
  });
});

describe('encodeMessage: RFC 3597 and raw RDATA', () => {
  it('round-trips unknown types, unknown classes and SVCB/HTTPS as raw data', () => {
    const records = [
      { name: 'x.example.', type: 'TYPE65534', class: 'CLASS42', ttl: 1, data: new Uint8Array([1, 2, 3]) },
      { name: 'x.example.', type: 'HTTPS', class: 'IN', ttl: 1, data: new Uint8Array([0, 1, 0]) },
      { name: 'x.example.', type: 'SVCB', class: 'IN', ttl: 1, data: new Uint8Array([0, 2, 0]) },
      { name: 'x.example.', type: 'DS', class: 'IN', ttl: 1, data: new Uint8Array(0) },
    ];
    const bytes = encodeMessage(response(records));
    assert.deepEqual(decodeMessage(bytes).answers, records);
    assert.ok(indexOf(bytes, [0xff, 0xfe, 0, 42, 0, 0, 0, 1, 0, 3, 1, 2, 3]) > 0);
    // Type numbers on the wire: 65 then 64.
    const https = indexOf(bytes, [0, 65, 0, 1, 0, 0, 0, 1, 0, 3]);
    const svcb = indexOf(bytes, [0, 64, 0, 1, 0, 0, 0, 1, 0, 3]);
    assert.ok(https > 0 && svcb > https);
  });

  it('accepts TYPE<n> spellings of known types with typed data', () => {
    const bytes = encodeMessage(response([rr('a.example.', 'TYPE1', '192.0.2.7')]));
    assert.deepEqual(decodeMessage(bytes).answers[0], rr('a.example.', 'A', '192.0.2.7'));
  });
});

describe('encodeMessage: validation', () => {
  it('rejects bad names', () => {
    rejects(response([rr(`${'a'.repeat(64)}.org.`, 'A', '192.0.2.1')]), 'bad-name');
    rejects(response([rr('a.org.', 'CNAME', 'a..org.')]), 'bad-name');
    rejects(
      response([], { questions: [{ name: `${'abcdefg.'.repeat(32)}`, type: 'A', class: 'IN' }] }),
      'bad-name',
    );
  });
  it('rejects out-of-range numbers', () => {
    rejects(response([], { id: 65536 }), 'bad-field');
    rejects(response([], { id: 1.5 }), 'bad-field');
    rejects(response([rr('a.org.', 'A', '192.0.2.1', -1)]), 'bad-field');
    rejects(response([rr('a.org.', 'A', '192.0.2.1', 2 ** 32)]), 'bad-field');
    rejects(response([rr('a.org.', 'MX', { preference: 65536, exchange: 'm.org.' })]), 'bad-field');
    rejects(response([rr('a.org.', 'SRV', { priority: 1, weight: 1, port: -1, target: 't.' })]), 'bad-field');
    rejects(response([rr('a.org.', 'MX', { exchange: 'm.org.' })]), 'bad-field');
  });
  it('rejects malformed RDATA', () => {
    rejects(response([rr('a.org.', 'A', '192.0.2')]), 'bad-rdata');
    rejects(response([rr('a.org.', 'A', 42)]), 'bad-rdata');
    rejects(response([rr('a.org.', 'AAAA', '2001:db8::1::2')]), 'bad-rdata');
    rejects(response([rr('a.org.', 'AAAA', new Uint8Array(4))]), 'bad-rdata');
    rejects(response([rr('a.org.', 'TXT', ['x'.repeat(256)])]), 'bad-rdata');
    rejects(response([rr('a.org.', 'TXT', ['é'.repeat(128)])]), 'bad-rdata');
    rejects(response([rr('a.org.', 'TXT', 'not an array')]), 'bad-rdata');
    rejects(response([rr('a.org.', 'DS', { keyTag: 1 })]), 'bad-rdata');
    rejects(response([rr('a.org.', 'CAA', { flags: 0, tag: 'bad tag', value: '' })]), 'bad-rdata');
    rejects(response([rr('a.org.', 'OPT', new Uint8Array(0))]), 'bad-rdata');
  });
  it('accepts TXT strings of exactly 255 bytes', () => {
    const txt = ['x'.repeat(255), 'é'.repeat(127)];
    const bytes = encodeMessage(response([rr('a.org.', 'TXT', txt)]));
    assert.deepEqual(decodeMessage(bytes).answers[0]?.data, txt);
  });
  it('rejects unknown mnemonics', () => {
    rejects(response([rr('a.org.', 'BOGUS', new Uint8Array(0))]), 'unknown-mnemonic');
    rejects(response([], { opcode: 'PUSH' }), 'unknown-mnemonic');
    rejects(response([], { rcode: 'OOPS' }), 'unknown-mnemonic');
  });
  it('requires EDNS for extended rcodes', () => {
    rejects(response([], { rcode: 'BADVERS' }), 'rcode-needs-edns');
  });
  it('refuses messages over 65535 bytes', () => {
    const big = Array.from({ length: 70 }, () => rr('a.org.', 'TYPE65534', new Uint8Array(1000)));
    rejects(response(big), 'too-large');
  });
  it('truncates a message over 65535 bytes when given a limit, on an RRset boundary', () => {
    const setA = Array.from({ length: 40 }, (_, i) =>
      rr('a.org.', 'TYPE65534', new Uint8Array(1000).fill(i)),
    );
    const setB = Array.from({ length: 40 }, (_, i) =>
      rr('b.org.', 'TYPE65534', new Uint8Array(1000).fill(i)),
    );
    for (const maxSize of [65535, 512]) {
      const bytes = encodeMessage(response([...setA, ...setB]), { maxSize });
      assert.ok(bytes.length <= maxSize);
      const decoded = decodeMessage(bytes);
      assert.equal(decoded.flags.tc, true);
      // Whole RRsets only: all of a.org's records or none, never part of b.org's.
      assert.ok([0, 40].includes(decoded.answers.length), `kept ${decoded.answers.length}`);
    }
  });
  it('points only within the 14-bit range: a suffix first written past it is written out again', () => {
    // 17 KB of filler puts later names past offset 0x3fff, where no pointer can reach.
    const filler = Array.from({ length: 17 }, () =>
      rr('www.example.org.', 'TYPE65534', new Uint8Array(1000)),
    );
    const late = [rr('x.late.net.', 'CNAME', 'y.late.net.'), rr('z.late.net.', 'CNAME', 'www.example.org.')];
    const bytes = encodeMessage(response([...filler, ...late]));
    const decoded = decodeMessage(bytes);
    assert.deepEqual(
      decoded.answers.slice(-2).map((r) => [r.name, r.data]),
      late.map((r) => [r.name, r.data]),
    );
    // late.net. appears in full three times (never as a pointer past 0x3fff); www.example.org.
    // stays a pointer to the question.
    assert.equal(Buffer.from(bytes).toString('latin1').split('\x04late\x03net\x00').length - 1, 3);
    assert.deepEqual([...bytes.subarray(-2)], [0xc0, 0x0c]);
  });
  it('compresses against names whose own tail is a pointer, and escaped names byte for byte', () => {
    const bytes = encodeMessage(
      response([
        rr('a.b.example.org.', 'CNAME', 'c.b.example.org.'),
        rr('c.b.example.org.', 'CNAME', 'x\\.y\\000.b.example.org.'),
        rr('x\\.y\\000.b.example.org.', 'A', '192.0.2.1'),
      ]),
    );
    const decoded = decodeMessage(bytes);
    assert.deepEqual(
      decoded.answers.map((r) => r.name),
      ['a.b.example.org.', 'c.b.example.org.', 'x\\.y\\000.b.example.org.'],
    );
    // Header and question 33; then each name is its new labels plus a pointer (or only a pointer).
    assert.equal(bytes.length, 33 + (2 + 2 + 2 + 10 + 2 + 2) + (2 + 10 + 5 + 2) + (2 + 10 + 4));
  });
  it('recovers after a failed encode (the shared buffer is reset)', () => {
    rejects(response([rr('a.org.', 'A', 'nope')]), 'bad-rdata');
    const bytes = encodeMessage(response([rr('a.org.', 'A', '192.0.2.9')]));
    assert.equal(decodeMessage(bytes).answers[0]?.data, '192.0.2.9');
  });
});
