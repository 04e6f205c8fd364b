import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import { EncodeError } from './errors.js';
import type { DnsMessage, Edns, ResourceRecord } from './types.js';

function a(name: string, last: number): ResourceRecord {
  return { name, type: 'A', class: 'IN', ttl: 60, data: `192.0.2.${last}` };
}
function txt(name: string, size: number): ResourceRecord {
  return { name, type: 'TXT', class: 'IN', ttl: 60, data: ['x'.repeat(size)] };
}

const EDNS: Edns = {
  udpPayloadSize: 1232,
  version: 0,
  do: true,
  options: [{ code: 10, data: new Uint8Array(16) }],
};

/** Answers hold an RRset split in two places (www A before and after the TXT set). */
const MESSAGE: DnsMessage = {
  id: 1,
  opcode: 'QUERY',
  rcode: 'NOERROR',
  flags: { qr: true, aa: true, tc: false, rd: false, ra: false, z: false, ad: false, cd: false },
  questions: [{ name: 'www.example.org.', type: 'ANY', class: 'IN' }],
  answers: [
    a('www.example.org.', 1),
    a('www.example.org.', 2),
    txt('www.example.org.', 100),
    a('WWW.example.org.', 3),
  ],
  authorities: [txt('example.org.', 80), txt('example.org.', 90), txt('ns.example.org.', 50)],
  additionals: [a('ns1.example.org.', 9), txt('ns1.example.org.', 120), a('ns2.example.org.', 10)],
  edns: EDNS,
};

const rrsetKey = (r: ResourceRecord) => `${r.name.toLowerCase()} ${r.type} ${r.class}`;

function countBy(records: readonly ResourceRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(rrsetKey(r), (counts.get(rrsetKey(r)) ?? 0) + 1);
  return counts;
}

function assertWholeRRsetsPrefix(kept: readonly ResourceRecord[], all: readonly ResourceRecord[]): void {
  assert.deepEqual(kept.map(rrsetKey), all.slice(0, kept.length).map(rrsetKey));
  const total = countBy(all);
  for (const [key, count] of countBy(kept)) assert.equal(count, total.get(key), `RRset ${key} split`);
}

describe('truncation', () => {
  const full = encodeMessage(MESSAGE);

  it('leaves a message that fits alone', () => {
    assert.deepEqual(encodeMessage(MESSAGE, { maxSize: full.length }), full);
  });

  it('never exceeds the limit, keeps OPT and whole RRsets, and sets TC only when needed', () => {
    const minimum = 12 + 21 + 11 + 20;
    let sawAdditionalOnly = false;
    let sawTruncated = false;
    for (let maxSize = minimum; maxSize < full.length; maxSize++) {
      const bytes = encodeMessage(MESSAGE, { maxSize });
      assert.ok(bytes.length <= maxSize, `${bytes.length} > ${maxSize}`);
      const decoded = decodeMessage(bytes);
      assert.deepEqual(decoded.edns, EDNS);
      assert.deepEqual(decoded.questions, MESSAGE.questions);
      assertWholeRRsetsPrefix(decoded.answers, MESSAGE.answers);
      assertWholeRRsetsPrefix(decoded.authorities, MESSAGE.authorities);
      assertWholeRRsetsPrefix(decoded.additionals, MESSAGE.additionals);
      const lostData =
        decoded.answers.length < MESSAGE.answers.length ||
        decoded.authorities.length < MESSAGE.authorities.length;
      assert.equal(decoded.flags.tc, lostData, `TC at ${maxSize}`);
      if (decoded.additionals.length > 0)
        assert.equal(decoded.authorities.length, MESSAGE.authorities.length);
      if (!lostData) sawAdditionalOnly = true;
      else sawTruncated = true;
    }
    assert.ok(sawAdditionalOnly && sawTruncated);
  });

  it('drops the split www A RRset together with what follows it', () => {
    // Room for everything but the last answer: the first two A records must go too.
    const cut = encodeMessage({ ...MESSAGE, authorities: [], additionals: [] });
    const bytes = encodeMessage(
      { ...MESSAGE, authorities: [], additionals: [] },
      { maxSize: cut.length - 1 },
    );
    assert.deepEqual(decodeMessage(bytes).answers, []);
    assert.equal(decodeMessage(bytes).flags.tc, true);
  });

  it('keeps a TC flag the caller set even when only additional data is dropped', () => {
    const withTc = { ...MESSAGE, flags: { ...MESSAGE.flags, tc: true } };
    const bytes = encodeMessage(withTc, { maxSize: full.length - 10 });
    assert.equal(decodeMessage(bytes).flags.tc, true);
  });

  it('works without EDNS', () => {
    const plain = { ...MESSAGE, edns: undefined };
    const bytes = encodeMessage(plain, { maxSize: 200 });
    assert.ok(bytes.length <= 200);
    assert.equal(decodeMessage(bytes).edns, undefined);
  });

  it('refuses limits that cannot hold the header, question and OPT', () => {
    assert.throws(
      () => encodeMessage(MESSAGE, { maxSize: 12 + 21 + 11 + 19 }),
      (error: unknown) => error instanceof EncodeError && error.code === 'too-large',
    );
    assert.throws(
      () => encodeMessage(MESSAGE, { maxSize: -1 }),
      (error: unknown) => error instanceof EncodeError && error.code === 'bad-field',
    );
  });
});
