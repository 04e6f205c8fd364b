import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as packet from 'dns-packet';
import { decodeMessage, readHeader } from './decode.js';
import { DecodeError, type DecodeErrorCode } from './errors.js';

/** Bytes from hex with optional spaces. */
function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

/** A header with the given counts (id 0x1234, RD set). */
function header(qd: number, an = 0, ns = 0, ar = 0, flags = 0x0100): string {
  const word = (n: number) => n.toString(16).padStart(4, '0');
  return `1234${word(flags)}${word(qd)}${word(an)}${word(ns)}${word(ar)}`;
}

const EXAMPLE = '07 6578616d706c65 03 6f7267 00'; // example.org.
const QUESTION_A = `${EXAMPLE} 0001 0001`;

function rejects(bytes: Uint8Array, code: DecodeErrorCode): void {
  assert.throws(
    () => decodeMessage(bytes),
    (error: unknown) => error instanceof DecodeError && error.code === code && error.offset >= 0,
    code,
  );
}

/** A response to example.org. A with one answer of `type` and the given RDATA. */
function withAnswer(type: string, rdata: string, rdlength?: number): Uint8Array {
  const length = rdlength ?? rdata.replace(/\s+/g, '').length / 2;
  return hex(
    `${header(1, 1, 0, 0, 0x8180)} ${QUESTION_A} c00c ${type} 0001 0000012c ${length.toString(16).padStart(4, '0')} ${rdata}`,
  );
}

describe('readHeader', () => {
  it('reads the fixed header and refuses short input', () => {
    assert.equal(readHeader(new Uint8Array(11)), undefined);
    const h = readHeader(hex(header(1, 2, 3, 4, 0x2d05)));
    assert.deepEqual(h, {
      id: 0x1234,
      opcode: 'UPDATE',
      flags: { qr: false, aa: true, tc: false, rd: true, ra: false, z: false, ad: false, cd: false },
      rcode: 5,
      qdcount: 1,
      ancount: 2,
      nscount: 3,
      arcount: 4,
    });
  });
});

describe('decodeMessage: well-formed input', () => {
  it('decodes a dns-packet query with EDNS', () => {
    const bytes = packet.encode({
      type: 'query',
      id: 7,
      flags: packet.RECURSION_DESIRED | packet.CHECKING_DISABLED,
      questions: [{ type: 'AAAA', name: 'Mixed.Case.example' }],
      additionals: [
        {
          type: 'OPT',
          name: '.',
          udpPayloadSize: 4096,
          extendedRcode: 0,
          ednsVersion: 0,
          flag_do: true,
          flags: packet.DNSSEC_OK,
          options: [],
        },
      ],
    });
    const message = decodeMessage(bytes);
    assert.equal(message.id, 7);
    assert.equal(message.flags.rd, true);
    assert.equal(message.flags.cd, true);
    assert.deepEqual(message.questions, [{ name: 'Mixed.Case.example.', type: 'AAAA', class: 'IN' }]);
    assert.deepEqual(message.edns, { udpPayloadSize: 4096, version: 0, do: true, options: [] });
    assert.deepEqual(message.additionals, []);
  });

  it('decodes typed RDATA through compression pointers', () => {
    const bytes = packet.encode({
      type: 'response',
      id: 9,
      questions: [{ type: 'TXT', name: 'example.org' }],
      answers: [
        { type: 'MX', name: 'example.org', ttl: 60, data: { preference: 5, exchange: 'mx.example.org' } },
        {
          type: 'SRV',
          name: '_x._tcp.example.org',
          ttl: 60,
          data: { priority: 1, weight: 2, port: 3, target: 't.example.org' },
        },
        { type: 'TXT', name: 'example.org', ttl: 60, data: ['a', 'b c'] },
        {
          type: 'CAA',
          name: 'example.org',
          ttl: 60,
          data: { flags: 128, tag: 'issue', value: 'ca.example' },
        },
        { type: 'HINFO', name: 'example.org', ttl: 60, data: { cpu: 'RFC8482', os: '' } },
      ],
    });
    const answers = decodeMessage(bytes).answers.map((r) => r.data);
    assert.deepEqual(answers, [
      { preference: 5, exchange: 'mx.example.org.' },
      { priority: 1, weight: 2, port: 3, target: 't.example.org.' },
      ['a', 'b c'],
      { flags: 128, tag: 'issue', value: 'ca.example' },
      { cpu: 'RFC8482', os: '' },
    ]);
  });

  it('follows a backward pointer and keeps case', () => {
    const message = decodeMessage(withAnswer('0005', '03 575757 c00c'));
    assert.equal(message.answers[0]?.data, 'WWW.example.org.');
  });

  it('escapes bytes in names assembled through pointers', () => {
    // A label holding a dot and a space, then one reached only through a pointer to it.
    const message = decodeMessage(
      hex(
        `${header(1, 2, 0, 0, 0x8180)} ${QUESTION_A} c00c 0005 0001 0000012c 0006 03 782e20 c00c` +
          ` c00c 0005 0001 0000012c 0006 03 612042 c029`,
      ),
    );
    assert.equal(message.answers[0]?.data, 'x\\.\\032.example.org.');
    assert.equal(message.answers[1]?.data, 'a\\032B.x\\.\\032.example.org.');
  });

  it('tolerates bytes after the last counted record', () => {
    const message = decodeMessage(hex(`${header(1)} ${QUESTION_A} deadbeef`));
    assert.equal(message.questions.length, 1);
  });

  it('keeps unknown types and classes as raw RDATA (RFC 3597)', () => {
    const message = decodeMessage(hex(`${header(1, 1)} ${QUESTION_A} c00c fffe 002a 00000000 0003 010203`));
    assert.deepEqual(message.answers[0], {
      name: 'example.org.',
      type: 'TYPE65534',
      class: 'CLASS42',
      ttl: 0,
      data: new Uint8Array([1, 2, 3]),
    });
  });

  it('keeps CH-class A RDATA raw: its format is a name and a Chaos address (RFC 1035 3.4.1)', () => {
    // example.org. CH A -> "c0 0c" (pointer to example.org.) + address 0x0101.
    const message = decodeMessage(
      hex(`${header(1, 1)} ${QUESTION_A} c00c 0001 0003 00000000 0004 c00c 0101`),
    );
    assert.deepEqual(message.answers[0]?.data, new Uint8Array([0xc0, 0x0c, 0x01, 0x01]));
    assert.equal(message.answers[0]?.class, 'CH');
  });

  it('returns plain Uint8Array copies, not views of a Buffer', () => {
    const source = Buffer.from(withAnswer('0041', '0001 0000'));
    const data = decodeMessage(source).answers[0]?.data;
    assert.ok(data instanceof Uint8Array && !Buffer.isBuffer(data));
    assert.equal(decodeMessage(source).answers[0]?.type, 'HTTPS');
    source.fill(0xee, source.length - 4);
    assert.deepEqual(data, new Uint8Array([0, 1, 0, 0]));
  });

  it('keeps TXT strings that are not UTF-8 as bytes', () => {
    const message = decodeMessage(withAnswer('0010', '02 ff41 02 6869'));
    assert.deepEqual(message.answers[0]?.data, [new Uint8Array([0xff, 0x41]), 'hi']);
  });

  it('falls back to raw RDATA when HINFO text is not UTF-8', () => {
    const message = decodeMessage(withAnswer('000d', '01 ff 00'));
    assert.deepEqual(message.answers[0]?.data, new Uint8Array([1, 0xff, 0]));
  });

  it('combines the extended rcode from OPT (RFC 6891 6.1.3)', () => {
    const bytes = hex(`${header(1, 0, 0, 1, 0x8000)} ${QUESTION_A} 00 0029 1000 01000000 0000`);
    assert.equal(decodeMessage(bytes).rcode, 'BADVERS');
    const cookie = hex(`${header(1, 0, 0, 1, 0x8007)} ${QUESTION_A} 00 0029 1000 01000000 0000`);
    assert.equal(decodeMessage(cookie).rcode, 'BADCOOKIE');
  });
});

describe('decodeMessage: hostile input', () => {
  it('refuses short headers', () => {
    rejects(new Uint8Array(0), 'short-header');
    rejects(hex('1234 0100 0001 0000 0000'), 'short-header');
  });

  it('refuses counts larger than the records present', () => {
    rejects(hex(`${header(2)} ${QUESTION_A}`), 'truncated');
    rejects(hex(`${header(1, 1)} ${QUESTION_A}`), 'truncated');
    rejects(hex(`${header(1, 0, 0, 1)} ${QUESTION_A} 00 0029`), 'truncated');
    rejects(hex(`${header(1)} ${EXAMPLE} 00`), 'truncated');
    rejects(hex(`${header(1)} 07 6578616d`), 'truncated');
  });

  it('refuses compression loops and forward pointers', () => {
    rejects(hex(`${header(1)} c00c 0001 0001`), 'bad-pointer');
    rejects(hex(`${header(1)} 01 61 c00c 0001 0001`), 'bad-pointer');
    rejects(hex(`${header(1)} c00e ${QUESTION_A}`), 'bad-pointer');
    // Two names pointing into each other.
    rejects(hex(`${header(2)} 01 61 c012 0001 0001 01 62 c00c 0001 0001`), 'bad-pointer');
    rejects(hex(`${header(1)} c0`), 'truncated');
  });

  it('refuses oversize and reserved labels', () => {
    rejects(hex(`${header(1)} 40 ${'61'.repeat(64)} 00 0001 0001`), 'bad-label');
    rejects(hex(`${header(1)} 81 61 00 0001 0001`), 'bad-label');
    const long = `3f${'61'.repeat(63)}`.repeat(4);
    rejects(hex(`${header(1)} ${long} 00 0001 0001`), 'name-too-long');
  });

  it('counts names assembled through pointers against the 255-byte limit', () => {
    // 12: 63-byte label x3 (192 bytes) + root; then a name with 63-byte label + pointer to it.
    const first = `${`3f${'61'.repeat(63)}`.repeat(3)} 00`;
    rejects(hex(`${header(2)} ${first} 0001 0001 3f${'62'.repeat(63)} c00c 0001 0001`), 'name-too-long');
  });

  it('refuses RDLENGTH past the end of the message', () => {
    rejects(withAnswer('0001', '01020304', 5), 'rdlength-overrun');
  });

  it('refuses RDLENGTH that disagrees with fixed-size RDATA', () => {
    rejects(withAnswer('0001', '0102030405'), 'bad-rdata');
    rejects(withAnswer('0001', '010203'), 'bad-rdata');
    rejects(withAnswer('001c', '01020304'), 'bad-rdata');
    // MX: RDLENGTH one short of the name, and one byte of leftovers.
    rejects(hex(`${header(1, 1)} ${QUESTION_A} c00c 000f 0001 00000000 0003 000a c0`), 'bad-rdata');
    rejects(withAnswer('000f', '000a c00c 00'), 'bad-rdata');
    rejects(withAnswer('000f', '000a'), 'bad-rdata');
    // SOA with 16 bytes of numbers instead of 20.
    rejects(withAnswer('0006', `c00c c00c ${'00'.repeat(16)}`), 'bad-rdata');
    rejects(withAnswer('0006', `c00c c00c ${'00'.repeat(21)}`), 'bad-rdata');
    rejects(withAnswer('0021', '0001 0002 c00c'), 'bad-rdata');
    rejects(withAnswer('0010', '05 6869'), 'bad-rdata');
    rejects(withAnswer('0101', '00 00'), 'bad-rdata');
  });

  it('refuses misplaced, duplicated and malformed OPT records', () => {
    const opt = '00 0029 1000 00000000 0000';
    rejects(hex(`${header(1, 1)} ${QUESTION_A} ${opt}`), 'bad-opt');
    rejects(hex(`${header(1, 0, 0, 2)} ${QUESTION_A} ${opt} ${opt}`), 'bad-opt');
    rejects(hex(`${header(1, 0, 0, 1)} ${QUESTION_A} c00c 0029 1000 00000000 0000`), 'bad-opt');
    rejects(hex(`${header(1, 0, 0, 1)} ${QUESTION_A} 00 0029 1000 00000000 0005 000a 0002 01`), 'bad-opt');
    rejects(hex(`${header(1, 0, 0, 1)} ${QUESTION_A} 00 0029 1000 00000000 0003 000a 00`), 'bad-opt');
  });
});
