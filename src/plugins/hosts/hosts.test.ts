import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseFallthrough } from '../../core/fallthrough.js';
import { createServer } from '../../core/server.js';
import type { DnsServer, Plugin } from '../../core/types.js';
import { makeQuery } from '../../plugin-kit/test-helpers.js';
import { formatRecord } from '../../wire/index.js';
import type { RRType } from '../../wire/types.js';
import { type HostsOptions, hosts } from './index.js';

const fixture = fileURLToPath(new URL('../../../test/fixtures/hosts/example.hosts', import.meta.url));

/** Answers TXT "next" so that a test sees the query was passed on. */
const nextMarker: Plugin = {
  name: 'marker',
  handle: (ctx) =>
    ctx.reply({ answers: [{ name: ctx.rawName, type: 'TXT', class: 'IN', ttl: 0, data: ['next'] }] }),
};

interface Case {
  readonly name: string;
  readonly type: RRType;
  /** `NEXT` when the query must reach the next plugin. */
  readonly rcode: string;
  readonly aa?: boolean;
  readonly answers?: readonly string[];
}

function serverWith(options: HostsOptions): DnsServer {
  return createServer({ plugins: [hosts({ path: fixture, reloadMs: 0, ...options }), nextMarker] });
}

async function check(server: DnsServer, cases: readonly Case[]): Promise<void> {
  for (const c of cases) {
    const response = await server.exchange(makeQuery(c.name, c.type));
    const label = `${c.name} ${c.type}`;
    const passedOn = response.answers.some((r) => r.type === 'TXT');
    if (c.rcode === 'NEXT') {
      assert.equal(passedOn, true, `${label} should reach the next plugin`);
      continue;
    }
    assert.equal(passedOn, false, `${label} should not reach the next plugin`);
    assert.equal(response.rcode, c.rcode, label);
    assert.equal(response.flags.aa, c.aa ?? c.rcode === 'NOERROR', `${label} AA`);
    assert.deepEqual(response.answers.map(formatRecord), c.answers ?? [], label);
  }
}

const reverse6 = '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.';

describe('hosts answers (no fallthrough)', () => {
  const server = serverWith({ inline: '10.0.0.5 www.example.org\n10.9.9.9 inline.example.org' });
  after(() => server.close());

  it('answers A, AAAA and PTR from the file and the inline entries, file first', () =>
    check(server, [
      {
        name: 'www.example.org.',
        type: 'A',
        rcode: 'NOERROR',
        answers: ['www.example.org.\t3600\tIN\tA\t10.0.0.1', 'www.example.org.\t3600\tIN\tA\t10.0.0.5'],
      },
      {
        name: 'www.example.org.',
        type: 'AAAA',
        rcode: 'NOERROR',
        answers: ['www.example.org.\t3600\tIN\tAAAA\t2001:db8::1'],
      },
      {
        name: 'inline.example.org.',
        type: 'A',
        rcode: 'NOERROR',
        answers: ['inline.example.org.\t3600\tIN\tA\t10.9.9.9'],
      },
      { name: 'www.', type: 'A', rcode: 'NOERROR', answers: ['www.\t3600\tIN\tA\t10.0.0.1'] },
      {
        name: 'mapped.example.org.',
        type: 'A',
        rcode: 'NOERROR',
        answers: ['mapped.example.org.\t3600\tIN\tA\t10.0.0.2'],
      },
      {
        name: '1.0.0.10.in-addr.arpa.',
        type: 'PTR',
        rcode: 'NOERROR',
        answers: [
          '1.0.0.10.in-addr.arpa.\t3600\tIN\tPTR\twww.example.org.',
          '1.0.0.10.in-addr.arpa.\t3600\tIN\tPTR\twww.',
        ],
      },
      {
        name: '2.0.0.10.in-addr.arpa.',
        type: 'PTR',
        rcode: 'NOERROR',
        answers: ['2.0.0.10.in-addr.arpa.\t3600\tIN\tPTR\tmapped.example.org.'],
      },
      {
        name: '9.9.9.10.in-addr.arpa.',
        type: 'PTR',
        rcode: 'NOERROR',
        answers: ['9.9.9.10.in-addr.arpa.\t3600\tIN\tPTR\tinline.example.org.'],
      },
      {
        name: reverse6,
        type: 'PTR',
        rcode: 'NOERROR',
        answers: [`${reverse6}\t3600\tIN\tPTR\twww.example.org.`],
      },
    ]));

  it('keeps the spelling of the question in the owner name', () =>
    check(server, [
      {
        name: 'WWW.Example.ORG.',
        type: 'AAAA',
        rcode: 'NOERROR',
        answers: ['WWW.Example.ORG.\t3600\tIN\tAAAA\t2001:db8::1'],
      },
    ]));

  it('answers NODATA (NOERROR, AA, empty) for known names and other types', () =>
    check(server, [
      { name: 'mapped.example.org.', type: 'AAAA', rcode: 'NOERROR' },
      { name: 'www.example.org.', type: 'MX', rcode: 'NOERROR' },
      { name: 'www.example.org.', type: 'TXT', rcode: 'NOERROR' },
      { name: 'localhost.', type: 'SOA', rcode: 'NOERROR' },
    ]));

  it('answers SERVFAIL for unknown names, as CoreDNS does without a SOA for NXDOMAIN', () =>
    check(server, [
      { name: 'missing.example.org.', type: 'A', rcode: 'SERVFAIL', aa: false },
      { name: 'missing.example.org.', type: 'MX', rcode: 'SERVFAIL', aa: false },
      { name: '1.0.0.10.in-addr.arpa.', type: 'A', rcode: 'SERVFAIL', aa: false },
    ]));

  it('passes on PTR queries it has no name for, whatever fallthrough says', () =>
    check(server, [
      { name: '7.7.7.7.in-addr.arpa.', type: 'PTR', rcode: 'NEXT' },
      { name: '0.10.in-addr.arpa.', type: 'PTR', rcode: 'NEXT' },
      { name: 'www.example.org.', type: 'PTR', rcode: 'NEXT' },
    ]));
});

describe('hosts zones and fallthrough', () => {
  const zoned = serverWith({ zones: ['example.org.'], fallthrough: parseFallthrough([]) });
  const unsupported = serverWith({ fallthrough: parseFallthrough([]), fallthroughUnsupported: true });
  const partial = serverWith({ fallthrough: parseFallthrough(['example.net']) });
  after(() => Promise.all([zoned.close(), unsupported.close(), partial.close()]));

  it('ignores names outside its zones, in the file and in queries', () =>
    check(zoned, [
      { name: 'localhost.', type: 'A', rcode: 'NEXT' },
      { name: 'other.net.', type: 'A', rcode: 'NEXT' },
      {
        name: 'www.example.org.',
        type: 'A',
        rcode: 'NOERROR',
        answers: ['www.example.org.\t3600\tIN\tA\t10.0.0.1'],
      },
      // PTR queries need not be in the zones, but `www.` was filtered out of the file.
      {
        name: '1.0.0.10.in-addr.arpa.',
        type: 'PTR',
        rcode: 'NOERROR',
        answers: ['1.0.0.10.in-addr.arpa.\t3600\tIN\tPTR\twww.example.org.'],
      },
    ]));

  it('falls through for unknown names only, NODATA otherwise', () =>
    check(zoned, [
      { name: 'missing.example.org.', type: 'A', rcode: 'NEXT' },
      { name: 'www.example.org.', type: 'TXT', rcode: 'NOERROR' },
      { name: 'mapped.example.org.', type: 'AAAA', rcode: 'NOERROR' },
    ]));

  it('falls through for unsupported types of known names with fallthrough_unsupported', () =>
    check(unsupported, [
      { name: 'www.example.org.', type: 'TXT', rcode: 'NEXT' },
      { name: 'mapped.example.org.', type: 'AAAA', rcode: 'NOERROR' },
      { name: 'missing.example.org.', type: 'A', rcode: 'NEXT' },
    ]));

  it('falls through only in the fallthrough zones', () =>
    check(partial, [
      { name: 'missing.example.net.', type: 'A', rcode: 'NEXT' },
      { name: 'missing.example.org.', type: 'A', rcode: 'SERVFAIL', aa: false },
    ]));
});

describe('hosts ttl, no_reverse and metrics', () => {
  const server = serverWith({ ttl: 60, reverse: false });
  after(() => server.close());

  it('uses the ttl and answers no PTR', () =>
    check(server, [
      { name: 'localhost.', type: 'AAAA', rcode: 'NOERROR', answers: ['localhost.\t60\tIN\tAAAA\t::1'] },
      { name: '1.0.0.127.in-addr.arpa.', type: 'PTR', rcode: 'NEXT' },
    ]));

  it('counts entries and hits', async () => {
    await server.exchange(makeQuery('localhost.', 'A'));
    const text = await server.metrics.metrics();
    // Six name-to-address entries (localhost twice, www.example.org twice, www., mapped), no reverse ones.
    assert.match(text, /^coredns_hosts_entries 6$/m);
    assert.match(text, /^coredns_hosts_hits_total [1-9]\d*$/m);
    assert.match(text, /^coredns_hosts_reload_timestamp_seconds \d{9,}/m);
  });
});
