import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatRecord } from '../wire/index.js';
import type { ResourceRecord } from '../wire/types.js';
import { createZone, createZoneStore, loadZone, type ZoneAnswer } from './index.js';

// RFC 4592 2.2.1's example zone, plus the cases of RFC 1034 4.3.2, RFC 2308 and RFC 6672.
const ZONE = `$TTL 3600
$ORIGIN example.
@                SOA   ns.example.com. hostmaster.example. 2024010101 7200 3600 1209600 300
                 NS    ns.example.com.
                 NS    ns1.example.
                 MX    10 host1
ns1              A     192.0.2.53
*                TXT   "this is a wildcard"
*                MX    10 host1.example.
sub.*            TXT   "this is not a wildcard"
host1            A     192.0.2.1
                 AAAA  2001:db8::1
_ssh._tcp.host1  SRV   0 0 22 host1
_ssh._tcp.host2  SRV   0 0 22 host2
subdel           NS    ns.subdel
                 NS    ns.example.net.
                 DS    12345 8 2 49FD46E6C4B45C55D4AC
ns.subdel        A     192.0.2.99
www              CNAME host1
loop1            CNAME loop2
loop2            CNAME loop1
dangling         CNAME nothere.host1
outside          CNAME www.example.net.
tosub            CNAME a.subdel
tonodata         CNAME host1
dn               DNAME example.net.
indn             DNAME other
a.other          A     192.0.2.7
wild.cn          CNAME host1
*.cn             CNAME host1
deep.ent.x       A     192.0.2.8
`;

const zone = loadZone(ZONE, { origin: 'example.', file: 'db.example' });
const lines = (records: readonly ResourceRecord[]) => records.map(formatRecord);
const owners = (records: readonly ResourceRecord[]) => records.map((r) => `${r.name} ${r.type}`);

interface Case {
  readonly q: string;
  readonly t: string;
  readonly rcode: string;
  readonly aa: boolean;
  readonly answer: string[];
  readonly authority: string[];
  readonly additional?: string[];
}

const APEX_NS = ['example. NS', 'example. NS'];

const CASES: Case[] = [
  // RFC 4592 2.2.1 expectations.
  {
    q: 'host3.example.',
    t: 'MX',
    rcode: 'NOERROR',
    aa: true,
    answer: ['host3.example. MX'],
    authority: APEX_NS,
    additional: ['host1.example. A', 'host1.example. AAAA'],
  },
  { q: 'host3.example.', t: 'A', rcode: 'NOERROR', aa: true, answer: [], authority: ['example. SOA'] },
  {
    q: 'foo.bar.example.',
    t: 'TXT',
    rcode: 'NOERROR',
    aa: true,
    answer: ['foo.bar.example. TXT'],
    authority: APEX_NS,
  },
  { q: 'host1.example.', t: 'MX', rcode: 'NOERROR', aa: true, answer: [], authority: ['example. SOA'] },
  { q: 'sub.*.example.', t: 'MX', rcode: 'NOERROR', aa: true, answer: [], authority: ['example. SOA'] },
  {
    q: '_telnet._tcp.host1.example.',
    t: 'SRV',
    rcode: 'NXDOMAIN',
    aa: true,
    answer: [],
    authority: ['example. SOA'],
  },
  {
    q: 'host.subdel.example.',
    t: 'A',
    rcode: 'NOERROR',
    aa: false,
    answer: [],
    authority: ['subdel.example. NS', 'subdel.example. NS'],
    additional: ['ns.subdel.example. A'],
  },
  { q: 'ghost.*.example.', t: 'MX', rcode: 'NXDOMAIN', aa: true, answer: [], authority: ['example. SOA'] },
  // Empty non-terminals: NODATA, not NXDOMAIN; the wildcard does not match below an existing name.
  { q: '_tcp.host1.example.', t: 'A', rcode: 'NOERROR', aa: true, answer: [], authority: ['example. SOA'] },
  { q: 'ent.x.example.', t: 'A', rcode: 'NOERROR', aa: true, answer: [], authority: ['example. SOA'] },
  { q: 'x.example.', t: 'TXT', rcode: 'NOERROR', aa: true, answer: [], authority: ['example. SOA'] },
  {
    q: 'nope.host1.example.',
    t: 'TXT',
    rcode: 'NXDOMAIN',
    aa: true,
    answer: [],
    authority: ['example. SOA'],
  },
  // Apex.
  {
    q: 'example.',
    t: 'NS',
    rcode: 'NOERROR',
    aa: true,
    answer: APEX_NS,
    authority: [],
    additional: ['ns1.example. A'],
  },
  { q: 'example.', t: 'SOA', rcode: 'NOERROR', aa: true, answer: ['example. SOA'], authority: APEX_NS },
  // Delegation: NS at the cut is a referral, DS at the cut is the parent's, glue in ADDITIONAL.
  {
    q: 'subdel.example.',
    t: 'NS',
    rcode: 'NOERROR',
    aa: false,
    answer: [],
    authority: ['subdel.example. NS', 'subdel.example. NS'],
    additional: ['ns.subdel.example. A'],
  },
  {
    q: 'subdel.example.',
    t: 'DS',
    rcode: 'NOERROR',
    aa: true,
    answer: ['subdel.example. DS'],
    authority: APEX_NS,
  },
  {
    q: 'ns.subdel.example.',
    t: 'A',
    rcode: 'NOERROR',
    aa: false,
    answer: [],
    authority: ['subdel.example. NS', 'subdel.example. NS'],
    additional: ['ns.subdel.example. A'],
  },
  // CNAME chains.
  {
    q: 'www.example.',
    t: 'A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['www.example. CNAME', 'host1.example. A'],
    authority: APEX_NS,
  },
  {
    q: 'www.example.',
    t: 'CNAME',
    rcode: 'NOERROR',
    aa: true,
    answer: ['www.example. CNAME'],
    authority: APEX_NS,
  },
  {
    q: 'dangling.example.',
    t: 'A',
    rcode: 'NXDOMAIN',
    aa: true,
    answer: ['dangling.example. CNAME'],
    authority: ['example. SOA'],
  },
  {
    q: 'tonodata.example.',
    t: 'TXT',
    rcode: 'NOERROR',
    aa: true,
    answer: ['tonodata.example. CNAME'],
    authority: ['example. SOA'],
  },
  {
    q: 'loop1.example.',
    t: 'A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['loop1.example. CNAME', 'loop2.example. CNAME'],
    authority: APEX_NS,
  },
  {
    q: 'outside.example.',
    t: 'A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['outside.example. CNAME'],
    // The chain leaves the zone: BIND gives no AUTHORITY then.
    authority: [],
  },
  {
    q: 'tosub.example.',
    t: 'A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['tosub.example. CNAME'],
    authority: ['subdel.example. NS', 'subdel.example. NS'],
    additional: ['ns.subdel.example. A'],
  },
  {
    q: 'any.cn.example.',
    t: 'A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['any.cn.example. CNAME', 'host1.example. A'],
    authority: APEX_NS,
  },
  // DNAME (RFC 6672): the DNAME, a synthesised CNAME, then the chain if the target is here.
  {
    q: 'a.b.dn.example.',
    t: 'A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['dn.example. DNAME', 'a.b.dn.example. CNAME'],
    authority: [],
  },
  {
    q: 'dn.example.',
    t: 'DNAME',
    rcode: 'NOERROR',
    aa: true,
    answer: ['dn.example. DNAME'],
    authority: APEX_NS,
  },
  { q: 'dn.example.', t: 'A', rcode: 'NOERROR', aa: true, answer: [], authority: ['example. SOA'] },
  {
    q: 'a.indn.example.',
    t: 'A',
    rcode: 'NOERROR',
    aa: true,
    answer: ['indn.example. DNAME', 'a.indn.example. CNAME', 'a.other.example. A'],
    authority: APEX_NS,
  },
  // Other data and MX additional processing.
  {
    q: 'example.',
    t: 'MX',
    rcode: 'NOERROR',
    aa: true,
    answer: ['example. MX'],
    authority: APEX_NS,
    additional: ['host1.example. A', 'host1.example. AAAA'],
  },
  {
    q: '_ssh._tcp.host1.example.',
    t: 'SRV',
    rcode: 'NOERROR',
    aa: true,
    answer: ['_ssh._tcp.host1.example. SRV'],
    authority: APEX_NS,
    additional: ['host1.example. A', 'host1.example. AAAA'],
  },
  { q: 'outside.zone.', t: 'A', rcode: 'REFUSED', aa: false, answer: [], authority: [] },
];

describe('zone lookup (RFC 1034 4.3.2, RFC 4592, RFC 6672)', () => {
  for (const c of CASES) {
    it(`${c.q} ${c.t} -> ${c.rcode}${c.aa ? ' AA' : ''}`, () => {
      const result: ZoneAnswer = zone.lookup(c.q, c.t);
      assert.equal(result.rcode, c.rcode);
      assert.equal(result.authoritative, c.aa);
      assert.deepEqual(owners(result.answers), c.answer);
      assert.deepEqual(owners(result.authorities), c.authority);
      // With the apex NS in AUTHORITY comes the in-zone name server's address, as BIND adds it.
      const glue = c.authority === APEX_NS ? ['ns1.example. A'] : [];
      assert.deepEqual(owners(result.additionals), [...(c.additional ?? []), ...glue]);
    });
  }

  it('gives negative answers the SOA with TTL min(SOA TTL, MINIMUM) (RFC 2308 5)', () => {
    assert.deepEqual(lines(zone.lookup('nx.example.', 'A').authorities), [
      'example.\t300\tIN\tSOA\tns.example.com. hostmaster.example. 2024010101 7200 3600 1209600 300',
    ]);
  });

  it('keeps the query spelling for owners of the query name, wildcards and synthesised CNAMEs', () => {
    const wild = zone.lookup('FOO.Bar.example.', 'TXT', { rawName: 'FOO.Bar.EXAMPLE.' });
    assert.deepEqual(lines(wild.answers), ['FOO.Bar.EXAMPLE.\t3600\tIN\tTXT\t"this is a wildcard"']);
    const cname = zone.lookup('www.example.', 'A', { rawName: 'WwW.ExAmple.' });
    assert.deepEqual(owners(cname.answers), ['WwW.ExAmple. CNAME', 'host1.example. A']);
    const dname = zone.lookup('a.b.dn.example.', 'A', { rawName: 'A.B.DN.example.' });
    assert.deepEqual(lines(dname.answers).at(-1), 'A.B.DN.example.\t3600\tIN\tCNAME\tA.B.example.net.');
  });

  it('gives the synthesised CNAME the DNAME TTL and YXDOMAIN when the result is too long (RFC 6672 2.2)', () => {
    const z = createZone('example.', [
      {
        name: 'example.',
        type: 'SOA',
        class: 'IN',
        ttl: 60,
        data: { mname: 'ns.', rname: 'h.', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 60 },
      },
      {
        name: 'd.example.',
        type: 'DNAME',
        class: 'IN',
        ttl: 42,
        data: `${'x'.repeat(60)}.${'y'.repeat(60)}.${'z'.repeat(60)}.`,
      },
    ]);
    assert.equal(z.lookup('a.d.example.', 'A').answers[1]?.ttl, 42);
    const long = `${'a'.repeat(50)}.${'b'.repeat(50)}.d.example.`;
    const result = z.lookup(long, 'A');
    assert.equal(result.rcode, 'YXDOMAIN');
    assert.deepEqual(owners(result.answers), ['d.example. DNAME']);
  });

  it('adds covering RRSIGs only when DO is set', () => {
    const z = loadZone(
      `$TTL 60\n@ SOA ns. h. 1 1 1 1 60\nw A 192.0.2.1\nw RRSIG A 8 2 60 20300101000000 20200101000000 1 example. AAAA\nw RRSIG TXT 8 2 60 20300101000000 20200101000000 1 example. AAAA\n`,
      { origin: 'example.' },
    );
    assert.deepEqual(owners(z.lookup('w.example.', 'A').answers), ['w.example. A']);
    assert.deepEqual(owners(z.lookup('w.example.', 'A', { do: true }).answers), [
      'w.example. A',
      'w.example. RRSIG',
    ]);
  });

  it('lists records with the SOA first, then names in canonical order (RFC 4034 6.1)', () => {
    const z = loadZone(
      `$TTL 60\n@ SOA ns. h. 1 1 1 1 60\nz A 192.0.2.1\n\\001.z A 192.0.2.2\n*.z A 192.0.2.3\na A 192.0.2.4\nZABC.a A 192.0.2.5\nyljkjljk.a A 192.0.2.6\n`,
      { origin: 'example.' },
    );
    assert.deepEqual(
      [...z.records()].map((r) => r.name),
      [
        'example.',
        'a.example.',
        'yljkjljk.a.example.',
        'zabc.a.example.',
        'z.example.',
        '\\001.z.example.',
        '*.z.example.',
      ],
    );
    assert.equal(z.size, 7);
  });
});

describe('zone building', () => {
  const soa = {
    name: 'example.',
    type: 'SOA',
    class: 'IN',
    ttl: 60,
    data: { mname: 'ns.', rname: 'h.', serial: 7, refresh: 1, retry: 1, expire: 1, minimum: 60 },
  } as const;

  it('drops duplicate records (RFC 2181 5) and keeps the first TTL of an RRset', () => {
    const z = createZone('example.', [
      soa,
      { name: 'a.example.', type: 'A', class: 'IN', ttl: 60, data: '192.0.2.1' },
      { name: 'A.example.', type: 'A', class: 'IN', ttl: 90, data: '192.0.2.1' },
      { name: 'a.example.', type: 'A', class: 'IN', ttl: 90, data: '192.0.2.2' },
    ]);
    assert.equal(z.size, 3);
    assert.deepEqual(
      z.rrset('a.example.', 'A').map((r) => r.ttl),
      [60, 60],
    );
    assert.equal(z.serial, 7);
  });

  it('rejects zones without an apex SOA, out-of-zone names and CNAME with other data', () => {
    assert.throws(() => createZone('example.', []), /no SOA/);
    assert.throws(
      () =>
        createZone('example.', [soa, { name: 'x.org.', type: 'A', class: 'IN', ttl: 1, data: '192.0.2.1' }]),
      /outside the zone/,
    );
    assert.throws(
      () =>
        createZone('example.', [
          soa,
          { name: 'c.example.', type: 'CNAME', class: 'IN', ttl: 1, data: 'x.' },
          { name: 'c.example.', type: 'A', class: 'IN', ttl: 1, data: '192.0.2.1' },
        ]),
      /CNAME and other data/,
    );
    assert.throws(
      () =>
        createZone('example.', [
          soa,
          { name: 'c.example.', type: 'A', class: 'CH', ttl: 1, data: new Uint8Array(4) },
        ]),
      /class CH/,
    );
  });
});

describe('zone store', () => {
  const make = (origin: string, serial: number) =>
    loadZone(`$TTL 60\n@ SOA ns. h. ${serial} 1 1 1 60\n`, { origin });

  it('finds the longest origin, swaps zones atomically and tells subscribers', () => {
    const store = createZoneStore([make('example.', 1), make('sub.example.', 1)]);
    assert.equal(store.find('a.SUB.example.')?.origin, 'sub.example.');
    assert.equal(store.find('a.example.')?.origin, 'example.');
    assert.equal(store.find('example.net.'), undefined);
    const seen: string[] = [];
    const unsubscribe = store.subscribe((origin, zone) => seen.push(`${origin}:${zone?.serial ?? '-'}`));
    store.set('Example.', make('example.', 2));
    assert.equal(store.get('example.')?.serial, 2);
    assert.equal(store.delete('sub.example.'), true);
    unsubscribe();
    store.set('example.', make('example.', 3));
    assert.deepEqual(seen, ['example.:2', 'sub.example.:-']);
    assert.deepEqual(store.origins(), ['example.']);
    assert.equal(store.size, 1);
  });
});
