import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normalizeZone, parseServerKey } from './address.js';
import { type Network, parseCidr, reverseZoneOf, reverseZones, splitOnDigitBoundary } from './reverse.js';

describe('parseServerKey', () => {
  const cases: [string, string, string[], number][] = [
    ['example.org', 'dns', ['example.org.'], 53],
    ['Example.ORG.', 'dns', ['example.org.'], 53],
    ['example.org:1053', 'dns', ['example.org.'], 1053],
    ['.', 'dns', ['.'], 53],
    ['.:53', 'dns', ['.'], 53],
    ['dns://example.org:5353', 'dns', ['example.org.'], 5353],
    ['tls://example.org', 'tls', ['example.org.'], 853],
    ['quic://example.org', 'quic', ['example.org.'], 853],
    ['https://example.org', 'https', ['example.org.'], 443],
    ['https3://example.org', 'https3', ['example.org.'], 443],
    ['grpc://example.org:8443', 'grpc', ['example.org.'], 8443],
    ['10.0.0.1', 'dns', ['10.0.0.1.'], 53],
    ['10.0.0.0/8', 'dns', ['10.in-addr.arpa.'], 53],
    ['10.1.2.3/8:1053', 'dns', ['10.in-addr.arpa.'], 1053],
    ['10.0.0.0/15', 'dns', ['0.10.in-addr.arpa.', '1.10.in-addr.arpa.'], 53],
    ['192.168.1.0/24', 'dns', ['1.168.192.in-addr.arpa.'], 53],
    ['0.0.0.0/0', 'dns', ['in-addr.arpa.'], 53],
    ['2001:db8::/32', 'dns', ['8.b.d.0.1.0.0.2.ip6.arpa.'], 53],
    ['2001:db8::/31:1053', 'dns', ['8.b.d.0.1.0.0.2.ip6.arpa.', '9.b.d.0.1.0.0.2.ip6.arpa.'], 1053],
    ['[2001:db8::/32]', 'dns', ['8.b.d.0.1.0.0.2.ip6.arpa.'], 53],
    ['[::1]', 'dns', [`1.${'0.'.repeat(31)}ip6.arpa.`], 53],
    ['[::1]:5353', 'dns', [`1.${'0.'.repeat(31)}ip6.arpa.`], 5353],
  ];
  for (const [key, transport, zones, port] of cases) {
    it(`${key} -> ${transport} ${zones.join(' ')} port ${port}`, () => {
      assert.deepEqual(parseServerKey(key), { transport, zones, port });
    });
  }

  it('uses defaultPort for dns keys without a port, and only for dns', () => {
    assert.equal(parseServerKey('example.org', 1053).port, 1053);
    assert.equal(parseServerKey('example.org:54', 1053).port, 54);
    assert.equal(parseServerKey('tls://example.org', 1053).port, 853);
  });

  it('rejects an unknown scheme, naming the known ones', () => {
    assert.throws(
      () => parseServerKey('tsl://foo.example'),
      /^Error: unknown transport 'tsl:\/\/' in 'tsl:\/\/foo.example'; known transports: dns:\/\/, tls:\/\/, quic:\/\/, grpc:\/\/, https:\/\/, https3:\/\/$/,
    );
  });

  it('rejects malformed keys with CoreDNS-like reasons', () => {
    assert.throws(() => parseServerKey('example.org:'), /expecting data after last colon: "example.org:"/);
    assert.throws(() => parseServerKey('example.org:70000'), /port 70000 is out of range/);
    assert.throws(() => parseServerKey('a..b'), /zone is not a valid domain name: a\.\.b/);
    assert.throws(() => parseServerKey(`${'a'.repeat(64)}.org`), /zone is not a valid domain name/);
    assert.throws(() => parseServerKey(`${'abc.'.repeat(64)}org`), /specified zone is too long: 259 > 255/);
    assert.throws(() => parseServerKey('[10.0.0.1]'), /not an IPv6 address or network in brackets/);
    assert.throws(() => parseServerKey(':53'), /zone is not a valid domain name/);
  });

  it('normalizes names', () => {
    assert.equal(normalizeZone('WWW.Example.Org'), 'www.example.org.');
    assert.equal(normalizeZone('.'), '.');
  });
});

describe('reverse zones', () => {
  it('parses CIDRs and masks host bits, like net.ParseCIDR', () => {
    assert.deepEqual(parseCidr('10.1.2.3/8'), { family: 4, address: 10n << 24n, prefix: 8 });
    assert.deepEqual(parseCidr('::ffff:10.0.0.1/128')?.address, (0xffffn << 32n) | (10n << 24n) | 1n);
    for (const text of [
      '10.0.0.0',
      '10.0.0.0/33',
      '10/8',
      '::/129',
      'x/8',
      '10.0.0.0/8/8',
      'fe80::1%eth0/64',
    ]) {
      assert.equal(parseCidr(text), undefined, text);
    }
  });

  it('names reverse zones of octet and nibble boundaries (RFC 1035 3.5, RFC 3596 2.5)', () => {
    assert.equal(reverseZoneOf(parseCidr('172.16.5.0/24') as Network), '5.16.172.in-addr.arpa.');
    assert.equal(reverseZoneOf(parseCidr('10.0.0.7/32') as Network), '7.0.0.10.in-addr.arpa.');
    assert.equal(
      reverseZoneOf(parseCidr('2001:db8:abcd::/48') as Network),
      'd.c.b.a.8.b.d.0.1.0.0.2.ip6.arpa.',
    );
    assert.equal(reverseZoneOf(parseCidr('::/0') as Network), 'ip6.arpa.');
  });

  it('splits 192.168.0.0/22 into four /24 zones', () => {
    assert.deepEqual(reverseZones(parseCidr('192.168.0.0/22') as Network), [
      '0.168.192.in-addr.arpa.',
      '1.168.192.in-addr.arpa.',
      '2.168.192.in-addr.arpa.',
      '3.168.192.in-addr.arpa.',
    ]);
  });

  const ipv4Network = fc
    .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
    .map(
      ([n, prefix]) =>
        parseCidr(`${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')}/${prefix}`) as Network,
    );

  it('covers exactly the original range with boundary-aligned, disjoint networks', () => {
    fc.assert(
      fc.property(ipv4Network, (network) => {
        const parts = splitOnDigitBoundary(network);
        const size = (n: Network) => 1n << BigInt(32 - n.prefix);
        assert.ok(
          parts.every(
            (p) => p.prefix % 8 === 0 && p.prefix >= network.prefix && p.prefix - network.prefix < 8,
          ),
        );
        assert.equal(
          parts.reduce((sum, p) => sum + size(p), 0n),
          size(network),
        );
        parts.forEach((p, i) => {
          assert.equal(p.address, network.address + BigInt(i) * size(p));
        });
        assert.equal(new Set(reverseZones(network)).size, parts.length);
      }),
    );
  });
});
