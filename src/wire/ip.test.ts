import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIPv4, formatIPv6, parseIPv4Into, parseIPv6Into } from './ip.js';

function v6(text: string): Uint8Array | undefined {
  const out = new Uint8Array(16);
  return parseIPv6Into(text, out, 0) ? out : undefined;
}

describe('IPv4', () => {
  it('parses and formats dotted quads', () => {
    const out = new Uint8Array(6);
    assert.equal(parseIPv4Into('192.0.2.255', out, 2), true);
    assert.deepEqual([...out], [0, 0, 192, 0, 2, 255]);
    assert.equal(formatIPv4(out, 2), '192.0.2.255');
  });
  it('rejects malformed text', () => {
    const out = new Uint8Array(4);
    for (const bad of [
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '01.2.3.4',
      '1..2.3',
      '',
      '1.2.3.4 ',
      'a.b.c.d',
      '1.2.3.',
    ]) {
      assert.equal(parseIPv4Into(bad, out, 0), false, bad);
    }
  });
});

describe('IPv6', () => {
  it('formats per RFC 5952', () => {
    const cases: Array<[string, string]> = [
      ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['0:0:0:0:0:0:0:0', '::'],
      ['::1', '::1'],
      ['FE80::ABCD', 'fe80::abcd'],
      ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
      ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
      ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
      ['1::', '1::'],
    ];
    for (const [input, canonical] of cases) {
      const bytes = v6(input);
      assert.ok(bytes, input);
      assert.equal(formatIPv6(bytes, 0), canonical, input);
    }
  });
  it('rejects malformed text', () => {
    for (const bad of [
      '',
      ':',
      ':::',
      '1::2::3',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '12345::',
      'g::',
      '1:',
      ':1',
      '::1.2.3',
      '1.2.3.4',
      'fe80::1%eth0',
      '1:2:3:4:5:6:7::1.2.3.4',
    ]) {
      assert.equal(v6(bad), undefined, bad);
    }
  });
});
