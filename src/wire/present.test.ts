import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { decodeMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import { formatMessage } from './format-message.js';
import { formatRecord } from './present.js';
import { makeQuery } from './query.js';
import type { ResourceRecord } from './types.js';

function rr(name: string, type: string, data: unknown, rrClass = 'IN'): ResourceRecord {
  return { name, type, class: rrClass, ttl: 300, data } as ResourceRecord;
}

/** Records whose presentation dig must agree with (one of each shape, with escapes). */
const RECORDS: ResourceRecord[] = [
  rr('example.org.', 'A', '192.0.2.1'),
  rr('example.org.', 'AAAA', '2001:db8::1'),
  rr('example.org.', 'NS', 'ns\\.1.example.org.'),
  rr('example.org.', 'MX', { preference: 10, exchange: 'mail.example.org.' }),
  rr('example.org.', 'SOA', {
    mname: 'ns.example.org.',
    rname: 'host\\.master.example.org.',
    serial: 1,
    refresh: 7200,
    retry: 3600,
    expire: 1209600,
    minimum: 300,
  }),
  rr('example.org.', 'SRV', { priority: 0, weight: 5, port: 5060, target: 'sip.example.org.' }),
  rr('example.org.', 'TXT', ['say "hi"', 'back\\slash', 'tab\there', 'ü']),
  rr('example.org.', 'TXT', [new Uint8Array([0xff, 0x00, 0x41])]),
  rr('example.org.', 'CAA', { flags: 0, tag: 'issue', value: 'ca.example' }),
  rr('example.org.', 'NAPTR', {
    order: 100,
    preference: 10,
    flags: 'S',
    services: 'SIP+D2U',
    regexp: '',
    replacement: '_sip._udp.example.org.',
  }),
  rr('example.org.', 'HINFO', { cpu: 'RFC8482', os: '' }),
  rr('example.org.', 'TYPE65534', new Uint8Array([1, 2, 3])),
  rr('we\\032ird\\(\\).example.org.', 'PTR', 'x\\000y.example.org.'),
];

describe('formatRecord', () => {
  it('prints name, TTL, class, type and RDATA separated by tabs', () => {
    assert.equal(
      formatRecord(rr('example.org.', 'MX', { preference: 10, exchange: 'mail.example.org.' })),
      'example.org.\t300\tIN\tMX\t10 mail.example.org.',
    );
  });
  it('quotes and escapes character-strings', () => {
    assert.equal(
      formatRecord(rr('a.', 'TXT', ['say "hi"', 'a\\b', 'ü', new Uint8Array([0, 127])])),
      'a.\t300\tIN\tTXT\t"say \\"hi\\"" "a\\\\b" "\\195\\188" "\\000\\127"',
    );
  });
  it('prints unknown types as RFC 3597 generic data', () => {
    assert.equal(
      formatRecord(rr('a.', 'TYPE65534', new Uint8Array([0xab, 1]), 'CLASS42')),
      'a.\t300\tCLASS42\tTYPE65534\t\\# 2 AB01',
    );
    assert.equal(formatRecord(rr('a.', 'DS', new Uint8Array(0))), 'a.\t300\tIN\tDS\t\\# 0');
  });
});

describe('formatMessage', () => {
  it('prints header, flags, OPT pseudosection and sections like dig', () => {
    const query = makeQuery('example.org.', 'A', { id: 4242, do: true });
    const text = formatMessage({
      ...query,
      flags: { ...query.flags, qr: true, ra: true },
      rcode: 'NXDOMAIN',
      authorities: [RECORDS[4]!],
      edns: {
        ...query.edns!,
        options: [
          { code: 3, data: new Uint8Array([0x6e, 0x73]) },
          { code: 99, data: new Uint8Array([1]) },
        ],
      },
    });
    assert.match(text, /^;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 4242\n/);
    assert.match(text, /;; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n/);
    assert.match(text, /; EDNS: version: 0, flags: do; udp: 1232\n; NSID: 6E73 \("ns"\)\n; OPT=99: 01\n/);
    assert.match(text, /;; QUESTION SECTION:\n;example.org.\t\tIN\tA\n/);
    assert.match(text, /;; AUTHORITY SECTION:\nexample.org.\t300\tIN\tSOA\tns.example.org. host\\.master/);
    assert.doesNotMatch(text, /ANSWER SECTION/);
  });
});

/** Serves `records` as the answer to any query on 127.0.0.1 and returns dig's answer lines. */
async function digAnswers(records: ResourceRecord[]): Promise<string[]> {
  const socket = createSocket('udp4');
  socket.on('message', (bytes, peer) => {
    const query = decodeMessage(bytes);
    const reply = encodeMessage({ ...query, flags: { ...query.flags, qr: true }, answers: records });
    socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  try {
    const port = String(socket.address().port);
    const args = [
      '@127.0.0.1',
      '-p',
      port,
      '+tries=1',
      '+time=3',
      '+noall',
      '+answer',
      '+nocookie',
      'example.org',
      'A',
    ];
    const { stdout } = await promisify(execFile)('/usr/bin/dig', args, { timeout: 10_000 });
    return stdout.split('\n').filter((line) => line !== '' && !line.startsWith(';'));
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

describe('presentation matches dig', () => {
  it('prints every record the way dig does', { timeout: 15_000 }, async () => {
    const lines = await digAnswers(RECORDS);
    const normalize = (line: string) => line.replace(/\s+/g, ' ').trim();
    assert.deepEqual(
      lines.map(normalize),
      RECORDS.map((r) => normalize(formatRecord(r))),
    );
  });
});
