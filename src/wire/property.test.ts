import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import { DecodeError } from './errors.js';
import { formatIPv6 } from './ip.js';
import type { DnsMessage, Edns, HeaderFlags, Question, ResourceRecord } from './types.js';

const RUNS = { numRuns: 300 };

/** Plain objects only: fast-check may otherwise build null-prototype records. */
function rec<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true });
}

/** Canonical text of one label, restating the escaping rules of docs/wire.md. */
function labelText(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (b < 0x21 || b > 0x7e) text += `\\${String(b).padStart(3, '0')}`;
    else text += '.\\"();@$'.includes(ch) ? `\\${ch}` : ch;
  }
  return text;
}

// Labels without A-Z: compression matches suffixes ignoring case, so a differently-cased
// later name may come back in the earlier spelling (covered by a unit test instead).
const label = fc.oneof(
  fc.stringMatching(/^[a-z0-9-]{1,10}$/).map((s) => s),
  fc
    .uint8Array({ minLength: 1, maxLength: 12 })
    .map((bytes) => labelText(bytes.map((b) => (b >= 65 && b <= 90 ? b + 32 : b)))),
);
const name = fc
  .tuple(fc.array(label, { maxLength: 3 }), fc.constantFrom('.', 'example.org.', 'a.example.org.', 'test.'))
  .map(([prefix, suffix]) =>
    prefix.length === 0 ? suffix : `${prefix.join('.')}.${suffix === '.' ? '' : suffix}`,
  );

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const text = (maxBytes: number) =>
  fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => Buffer.byteLength(s) <= maxBytes);
// Bytes starting with 0xff are never UTF-8, so they come back as bytes.
const rawString = fc.uint8Array({ maxLength: 20 }).map((b) => Uint8Array.from([0xff, ...b]));

const rdata: Record<string, fc.Arbitrary<unknown>> = {
  A: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.')),
  AAAA: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => formatIPv6(bytes, 0)),
  NS: name,
  CNAME: name,
  PTR: name,
  DNAME: name,
  MX: rec({ preference: u16, exchange: name }),
  SOA: rec({ mname: name, rname: name, serial: u32, refresh: u32, retry: u32, expire: u32, minimum: u32 }),
  SRV: rec({ priority: u16, weight: u16, port: u16, target: name }),
  TXT: fc.array(fc.oneof(text(255), rawString), { maxLength: 3 }),
  SPF: fc.array(text(255), { minLength: 1, maxLength: 2 }),
  HINFO: rec({ cpu: text(255), os: text(255) }),
  CAA: rec({ flags: fc.nat(255), tag: fc.stringMatching(/^[a-z0-9]{1,15}$/), value: text(200) }),
  NAPTR: rec({
    order: u16,
    preference: u16,
    flags: text(10),
    services: text(20),
    regexp: text(40),
    replacement: name,
  }),
};
const opaqueType = fc.constantFrom('TYPE65534', 'DS', 'HTTPS', 'SVCB', 'RRSIG', 'TYPE4000', 'NSEC');

const record: fc.Arbitrary<ResourceRecord> = fc.oneof(
  ...Object.entries(rdata).map(([type, data]) =>
    rec({
      name,
      type: fc.constant(type),
      // A and AAAA are class-specific: typed data only in IN, raw bytes elsewhere.
      class: type === 'A' || type === 'AAAA' ? fc.constant('IN') : fc.constantFrom('IN', 'CH'),
      ttl: u32,
      data,
    }),
  ),
  rec({
    name,
    type: fc.constantFrom('A', 'AAAA'),
    class: fc.constant('CH'),
    ttl: u32,
    data: fc.uint8Array({ maxLength: 40 }),
  }),
  rec({
    name,
    type: opaqueType,
    class: fc.constantFrom('IN', 'CLASS42'),
    ttl: u32,
    data: fc.uint8Array({ maxLength: 40 }),
  }),
) as fc.Arbitrary<ResourceRecord>;

const question: fc.Arbitrary<Question> = rec({
  name,
  type: fc.constantFrom('A', 'AAAA', 'ANY', 'TYPE65534', 'HTTPS'),
  class: fc.constantFrom('IN', 'CH', 'ANY', 'CLASS42'),
});

const edns: fc.Arbitrary<Edns> = fc
  .record({
    udpPayloadSize: u16,
    version: fc.nat(255),
    do: fc.boolean(),
    flags: fc.option(fc.integer({ min: 1, max: 0x7fff }), { nil: undefined }),
    options: fc.array(rec({ code: u16, data: fc.uint8Array({ maxLength: 20 }) }), { maxLength: 3 }),
  })
  .map(({ flags, ...rest }) => (flags === undefined ? rest : { ...rest, flags }));

const flags: fc.Arbitrary<HeaderFlags> = rec({
  qr: fc.boolean(),
  aa: fc.boolean(),
  tc: fc.boolean(),
  rd: fc.boolean(),
  ra: fc.boolean(),
  z: fc.boolean(),
  ad: fc.boolean(),
  cd: fc.boolean(),
});

const message: fc.Arbitrary<DnsMessage> = fc
  .record({
    id: u16,
    opcode: fc.constantFrom('QUERY', 'NOTIFY', 'UPDATE', 'OPCODE3'),
    flags,
    questions: fc.array(question, { maxLength: 2 }),
    answers: fc.array(record, { maxLength: 4 }),
    authorities: fc.array(record, { maxLength: 3 }),
    additionals: fc.array(record, { maxLength: 3 }),
    edns: fc.option(edns, { nil: undefined }),
    basic: fc.constantFrom('NOERROR', 'NXDOMAIN', 'REFUSED', 'RCODE12'),
    extended: fc.constantFrom('BADVERS', 'BADCOOKIE', 'RCODE4095'),
  })
  .map(({ edns, basic, extended, ...rest }) =>
    edns === undefined ? { ...rest, rcode: basic } : { ...rest, rcode: extended, edns },
  );

function decodesOrDecodeError(bytes: Uint8Array): void {
  try {
    decodeMessage(bytes);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    assert.ok(Number.isInteger(error.offset) && error.offset >= 0 && error.offset <= bytes.length);
  }
}

/**
 * Walks every name of an encoded message on our own and returns the compression pointers found
 * as [position, target, where]. Only owner names and NS/CNAME/PTR/MX/SOA RDATA may hold them.
 */
function pointers(bytes: Uint8Array): Array<[number, number, string]> {
  const found: Array<[number, number, string]> = [];
  const word = (at: number) => (bytes[at]! << 8) | bytes[at + 1]!;
  const skipName = (at: number, where: string): number => {
    let p = at;
    while (bytes[p]! !== 0) {
      if (bytes[p]! >= 0xc0) {
        found.push([p, word(p) & 0x3fff, where]);
        return p + 2;
      }
      p += bytes[p]! + 1;
    }
    return p + 1;
  };
  let p = 12;
  for (let i = 0; i < word(4); i++) p = skipName(p, 'question') + 4;
  const records = word(6) + word(8) + word(10);
  for (let i = 0; i < records; i++) {
    p = skipName(p, 'owner');
    const type = word(p);
    const rdStart = p + 10;
    const rdEnd = rdStart + word(p + 8);
    const nameAt: Record<number, number[]> = { 2: [0], 5: [0], 12: [0], 15: [2], 33: [6], 39: [0] };
    if (type === 6) skipName(skipName(rdStart, 'SOA'), 'SOA');
    else for (const offset of nameAt[type] ?? []) skipName(rdStart + offset, `type ${type}`);
    p = rdEnd;
  }
  return found;
}

function assertPointersSound(bytes: Uint8Array): void {
  for (const [at, target, where] of pointers(bytes)) {
    assert.ok(target < at, `pointer at ${at} to ${target} is not backwards`);
    assert.ok(target >= 12 && target < 0x4000, `pointer target ${target}`);
    assert.ok(['question', 'owner', 'SOA', 'type 2', 'type 5', 'type 12', 'type 15'].includes(where), where);
  }
}

describe('properties', () => {
  it('decode(encode(m)) is m', () => {
    fc.assert(
      fc.property(message, (m) => {
        assert.deepStrictEqual(decodeMessage(encodeMessage(m)), m);
      }),
      RUNS,
    );
  });

  it('compression pointers point backwards, below 0x4000, from allowed places only', () => {
    fc.assert(
      fc.property(message, (m) => {
        assertPointersSound(encodeMessage(m));
      }),
      RUNS,
    );
  });

  it('keeps pointers below 0x4000 in messages larger than 16 KiB', () => {
    const filler = Array.from({ length: 40 }, (_, i) => ({
      name: `f${i}.example.org.`,
      type: 'TYPE65534',
      class: 'IN',
      ttl: 1,
      data: new Uint8Array(500),
    }));
    const late = Array.from({ length: 5 }, (_, i) => ({
      name: `late${i}.deep.example.org.`,
      type: 'CNAME' as const,
      class: 'IN',
      ttl: 1,
      data: `late${i}.deep.example.org.`,
    }));
    const m: DnsMessage = {
      id: 1,
      opcode: 'QUERY',
      rcode: 'NOERROR',
      flags: { qr: true, aa: false, tc: false, rd: false, ra: false, z: false, ad: false, cd: false },
      questions: [{ name: 'example.org.', type: 'ANY', class: 'IN' }],
      answers: [...filler, ...late],
      authorities: [],
      additionals: [],
    };
    const bytes = encodeMessage(m);
    assert.ok(bytes.length > 0x4000);
    assertPointersSound(bytes);
    assert.deepStrictEqual(decodeMessage(bytes), m);
  });

  it('random bytes decode or throw DecodeError, nothing else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), decodesOrDecodeError), { numRuns: 2000 });
    const header = fc.tuple(u16, u16, fc.nat(3), fc.nat(3), fc.nat(3), fc.nat(3));
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 200 }), ([id, bits, qd, an, ns, ar], tail) => {
        const head = [id >> 8, id & 255, bits >> 8, bits & 255, 0, qd, 0, an, 0, ns, 0, ar];
        decodesOrDecodeError(Uint8Array.from([...head, ...tail]));
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated valid messages decode or throw DecodeError, nothing else', () => {
    const mutation = fc.array(fc.tuple(fc.nat(), fc.nat(255), fc.constantFrom('set', 'cut', 'insert')), {
      minLength: 1,
      maxLength: 4,
    });
    fc.assert(
      fc.property(message, mutation, (m, steps) => {
        let bytes = Array.from(encodeMessage(m));
        for (const [where, value, kind] of steps) {
          const at = where % (bytes.length + 1);
          if (kind === 'set') bytes[at] = value;
          else if (kind === 'cut') bytes = bytes.slice(0, at);
          else bytes.splice(at, 0, value);
        }
        decodesOrDecodeError(Uint8Array.from(bytes));
      }),
      { numRuns: 1000 },
    );
  });
});
