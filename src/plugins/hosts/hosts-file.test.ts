import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAddress, parseHosts } from './hosts-file.js';
import { addressFromReverse } from './reverse-address.js';

const sample = `
# comment line
127.0.0.1 localhost localhost.domain   # trailing comment
::1 localhost localhost.domain
10.0.0.1	Example.ORG alias
::FFFF:10.0.0.2 example.com
fe80::1%eth0 link.local
not-an-ip name.example
192.0.2.9
2001:DB8:0:0:0:0:0:1 v6.example.org
`;

describe('hosts file parser', () => {
  it('indexes names by family and addresses by name', () => {
    const table = parseHosts(sample);
    assert.deepEqual(table.name4.get('localhost.'), ['127.0.0.1']);
    assert.deepEqual(table.name6.get('localhost.'), ['::1']);
    assert.deepEqual(table.name4.get('example.org.'), ['10.0.0.1']);
    assert.deepEqual(table.name4.get('alias.'), ['10.0.0.1']);
    assert.deepEqual(table.addr.get('127.0.0.1'), ['localhost.', 'localhost.domain.']);
    assert.deepEqual(table.addr.get('10.0.0.1'), ['example.org.', 'alias.']);
  });

  it('treats IPv4-mapped IPv6 as IPv4, drops zone ids, canonicalises IPv6', () => {
    const table = parseHosts(sample);
    assert.deepEqual(table.name4.get('example.com.'), ['10.0.0.2']);
    assert.equal(table.name6.get('example.com.'), undefined);
    assert.deepEqual(table.addr.get('10.0.0.2'), ['example.com.']);
    assert.deepEqual(table.name6.get('link.local.'), ['fe80::1']);
    assert.deepEqual(table.name6.get('v6.example.org.'), ['2001:db8::1']);
    assert.deepEqual(table.addr.get('2001:db8::1'), ['v6.example.org.']);
  });

  it('skips bad addresses, single-field lines and comments', () => {
    const table = parseHosts(sample);
    assert.equal(table.name4.has('name.example.'), false);
    assert.equal(table.addr.has('192.0.2.9'), false);
    assert.equal(table.name4.has('comment.'), false);
    // CoreDNS's Len(): 9 name-to-address entries plus their 9 reverse entries.
    assert.equal(table.size, 2 * 9);
  });

  it('keeps only names in the zones, and no reverse index under no_reverse', () => {
    const table = parseHosts(sample, { zones: ['example.org.'], reverse: false });
    assert.deepEqual([...table.name4.keys()], ['example.org.']);
    assert.deepEqual([...table.name6.keys()], ['v6.example.org.']);
    assert.equal(table.addr.size, 0);
    assert.equal(table.size, 2);
  });

  it('parses literals the way Go does', () => {
    assert.deepEqual(parseAddress('10.0.0.1'), { family: 4, text: '10.0.0.1' });
    assert.deepEqual(parseAddress('::ffff:1.2.3.4'), { family: 4, text: '1.2.3.4' });
    assert.deepEqual(parseAddress('::1.2.3.4'), { family: 6, text: '::102:304' });
    assert.equal(parseAddress('10.0.0'), undefined);
    assert.equal(parseAddress('host'), undefined);
  });
});

describe('reverse names', () => {
  it('extracts full IPv4 and IPv6 reverse names only', () => {
    assert.equal(addressFromReverse('1.0.0.10.in-addr.arpa.'), '10.0.0.1');
    assert.equal(addressFromReverse('0.10.in-addr.arpa.'), undefined);
    assert.equal(addressFromReverse('example.org.'), undefined);
    const v6 = `${'1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2'}.ip6.arpa.`;
    assert.equal(addressFromReverse(v6), '2001:db8::1');
    assert.equal(addressFromReverse('1.0.ip6.arpa.'), undefined);
  });
});
