import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatRecord } from '../wire/index.js';
import type { ResourceRecord } from '../wire/types.js';
import { createZone, formatZone, loadZone } from './index.js';

const ORIGIN = 'example.';

// Labels with letters, digits, hyphens, and bytes that need escaping (`.`, `;`, `"`, `\DDD`).
const labelChar = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('\\.', '\\;', '\\"', '\\(', '\\$', '\\@', '\\000', '\\255', '\\032'),
  },
);
const label = fc.array(labelChar, { minLength: 1, maxLength: 10 }).map((chars) => chars.join(''));
const owner = fc
  .array(label, { minLength: 0, maxLength: 3 })
  .map((labels) => [...labels, ORIGIN].join('.').replace(/^\./, ''));
const text = fc
  .string({ unit: 'grapheme', maxLength: 40 })
  .filter((s) => new TextEncoder().encode(s).length <= 255);
const bytes = fc.uint8Array({ maxLength: 40 });
const target = fc.oneof(owner, fc.constant('mail.example.net.'));
const ipv4 = fc.ipV4();

const rdata = fc.oneof(
  ipv4.map((data) => ({ type: 'A', data })),
  fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }).map((groups) => ({
    type: 'AAAA',
    data: groups.map((g) => g.toString(16)).join(':'),
  })),
  fc.array(fc.oneof(text, bytes), { minLength: 1, maxLength: 3 }).map((data) => ({ type: 'TXT', data })),
  fc
    .record({ preference: fc.integer({ min: 0, max: 0xffff }), exchange: target })
    .map((data) => ({ type: 'MX', data })),
  fc
    .record({ priority: fc.nat(0xffff), weight: fc.nat(0xffff), port: fc.nat(0xffff), target })
    .map((data) => ({ type: 'SRV', data })),
  fc.record({ cpu: text, os: text }).map((data) => ({ type: 'HINFO', data })),
  fc
    .record({ flags: fc.nat(255), tag: fc.constantFrom('issue', 'iodef', 'x1'), value: text })
    .map((data) => ({ type: 'CAA', data })),
  target.map((data) => ({ type: 'NS', data })),
  bytes.map((data) => ({ type: 'TYPE65534', data })),
  bytes.map((data) => ({ type: 'DS', data })),
);

const record = fc
  .record({ name: owner, ttl: fc.nat(0x7fffffff), rd: rdata })
  .map(({ name, ttl, rd }) => ({ name, type: rd.type, class: 'IN', ttl, data: rd.data }) as ResourceRecord);

const SOA: ResourceRecord = {
  name: ORIGIN,
  type: 'SOA',
  class: 'IN',
  ttl: 3600,
  data: {
    mname: 'ns.example.',
    rname: 'host\\.master.example.',
    serial: 42,
    refresh: 1,
    retry: 2,
    expire: 3,
    minimum: 4,
  },
};

describe('formatZone / parseZone round trip', () => {
  it('a generated zone printed and parsed again has the same records', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), (records) => {
        const zone = createZone(ORIGIN, [SOA, ...records]);
        const again = loadZone(formatZone(zone), { origin: ORIGIN, file: 'printed' });
        assert.deepEqual([...again.records()].map(formatRecord), [...zone.records()].map(formatRecord));
      }),
      { numRuns: 150 },
    );
  });
});
