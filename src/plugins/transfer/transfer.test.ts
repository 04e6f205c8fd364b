import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createServer } from '../../core/server.js';
import type { Plugin } from '../../core/types.js';
import { directiveFrom, makeQuery, parseError } from '../../plugin-kit/test-helpers.js';
import { formatRecord } from '../../wire/index.js';
import type { DnsMessage, ResourceRecord } from '../../wire/types.js';
import { parseZone } from '../../zone/parser/load.js';
import { createZoneStore } from '../../zone/store.js';
import type { ZoneProvider } from '../../zone/types.js';
import { createZone } from '../../zone/zone.js';
import { transfer, transferDefinition } from './index.js';
import { packRecords, recordSize } from './pack.js';
import { serialLess } from './serial.js';

const zoneText = `$TTL 3600
@ IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300
@ IN NS ns1
ns1 IN A 192.0.2.1
www IN A 192.0.2.2
b IN TXT "hello"
`;

/** A plugin serving one zone, as `file` does: a ZoneProvider that answers nothing itself. */
function provider(text = zoneText, origin = 'example.org.'): Plugin & ZoneProvider {
  const store = createZoneStore([createZone(origin, parseZone(text, { origin }))]);
  return { name: 'zones', handle: (_ctx, next) => next(), zones: () => store };
}

const marker: Plugin = { name: 'marker', handle: (ctx) => ctx.fail('NOTIMP') };

function axfr(name = 'example.org.'): DnsMessage {
  return makeQuery(name, 'AXFR');
}

function flat(messages: readonly DnsMessage[]): string[] {
  return messages.flatMap((message) => message.answers.map(formatRecord));
}

describe('transfer', () => {
  const server = createServer({
    zones: ['example.org.', 'example.net.'],
    plugins: [transfer({ zones: ['example.org.'], to: ['10.0.0.1', '2001:db8::53'] }), provider(), marker],
  });
  const open = createServer({
    zones: ['example.org.'],
    plugins: [transfer({ to: ['*'] }), provider(), marker],
  });
  after(() => Promise.all([server.close(), open.close()]));

  it('streams the zone between two SOAs, in canonical order, AA set', async () => {
    const messages = await server.exchangeAll(axfr(), { peer: { address: '10.0.0.1', transport: 'tcp' } });
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.flags.aa, true);
    assert.equal(messages[0]?.rcode, 'NOERROR');
    const soa =
      'example.org.\t3600\tIN\tSOA\tns1.example.org. hostmaster.example.org. 2024010101 7200 3600 1209600 300';
    assert.deepEqual(flat(messages), [
      soa,
      'example.org.\t3600\tIN\tNS\tns1.example.org.',
      'b.example.org.\t3600\tIN\tTXT\t"hello"',
      'ns1.example.org.\t3600\tIN\tA\t192.0.2.1',
      'www.example.org.\t3600\tIN\tA\t192.0.2.2',
      soa,
    ]);
  });

  it('refuses clients not in `to`, matching IPv4-mapped and IPv6 peers', async () => {
    const refused = await server.exchangeAll(axfr(), { peer: { address: '10.0.0.2', transport: 'tcp' } });
    assert.equal(refused.length, 1);
    assert.equal(refused[0]?.rcode, 'REFUSED');
    assert.equal(refused[0]?.answers.length, 0);
    const mapped = await server.exchangeAll(axfr(), {
      peer: { address: '::ffff:10.0.0.1', transport: 'tcp' },
    });
    assert.equal(mapped[0]?.rcode, 'NOERROR');
    const v6 = await server.exchangeAll(axfr(), { peer: { address: '2001:DB8::53', transport: 'tcp' } });
    assert.equal(v6[0]?.rcode, 'NOERROR');
  });

  it('refuses AXFR over UDP, even to allowed clients', async () => {
    const response = await open.exchange(axfr(), { peer: { address: '10.0.0.1', transport: 'udp' } });
    assert.equal(response.rcode, 'REFUSED');
  });

  it('passes on other types, other zones, and zones no plugin serves', async () => {
    const peer = { address: '10.0.0.1', transport: 'tcp' as const };
    assert.equal((await server.exchange(makeQuery('www.example.org.', 'A'))).rcode, 'NOTIMP');
    assert.equal((await server.exchangeAll(axfr('example.net.'), { peer }))[0]?.rcode, 'NOTIMP');
    assert.equal((await open.exchangeAll(axfr('sub.example.org.'), { peer }))[0]?.rcode, 'NOTIMP');
  });

  it('answers IXFR with a lone SOA when the client is current, else with a full transfer', async () => {
    const ixfr = (serial: number): DnsMessage => {
      const soa = createZone('example.org.', parseZone(zoneText, { origin: 'example.org.' }))
        .soa as ResourceRecord;
      const data = { ...(soa.data as object), serial } as ResourceRecord['data'];
      return { ...makeQuery('example.org.', 'IXFR'), authorities: [{ ...soa, data } as ResourceRecord] };
    };
    const current = await open.exchangeAll(ixfr(2024010101));
    assert.equal(current.length, 1);
    assert.deepEqual(
      current[0]?.answers.map((r) => r.type),
      ['SOA'],
    );
    const newer = await open.exchangeAll(ixfr(2024010105));
    assert.deepEqual(flat(newer).length, 1);
    const older = await open.exchangeAll(ixfr(2024010100));
    assert.equal(flat(older).length, 6);
    const bare = await open.exchangeAll(makeQuery('example.org.', 'IXFR'));
    assert.equal(bare[0]?.rcode, 'SERVFAIL');
  });

  it('splits a big zone into messages of at most 64 KiB', async () => {
    const lines = [zoneText];
    for (let i = 0; i < 3000; i++) lines.push(`host${i} IN TXT "${'x'.repeat(100)}"`);
    const big = createServer({
      zones: ['example.org.'],
      plugins: [transfer({ to: ['*'] }), provider(lines.join('\n'))],
    });
    try {
      const messages = await big.exchangeAll(axfr());
      assert.ok(messages.length >= 5, `${messages.length} messages`);
      assert.equal(flat(messages).length, 3000 + 6);
      assert.equal(messages[0]?.answers[0]?.type, 'SOA');
      assert.equal(messages.at(-1)?.answers.at(-1)?.type, 'SOA');
    } finally {
      await big.close();
    }
  });
});

describe('transfer helpers', () => {
  it('packs records within the budget, in order', () => {
    const records: ResourceRecord[] = Array.from({ length: 50 }, (_, i) => ({
      name: `h${i}.example.org.`,
      type: 'TXT',
      class: 'IN',
      ttl: 1,
      data: ['y'.repeat(200)],
    }));
    const size = recordSize(records[49] as ResourceRecord); // the longest owner name
    const chunks = packRecords(records, size * 10);
    assert.equal(chunks.length, 5);
    assert.deepEqual(chunks.flat(), records);
  });

  it('compares serials with RFC 1982 arithmetic', () => {
    assert.equal(serialLess(1, 2), true);
    assert.equal(serialLess(2, 1), false);
    assert.equal(serialLess(1, 1), false);
    assert.equal(serialLess(0xffff_ffff, 0), true);
    assert.equal(serialLess(0, 0x8000_0000), false);
    assert.equal(serialLess(0x8000_0000, 0), false);
  });
});

describe('transfer setup', () => {
  it('reads zones and `to` lines, `*` and ports', () => {
    assert.deepEqual(
      transferDefinition.parse(
        directiveFrom('transfer {\n to * 10.0.0.1 [::1]:5353\n to 10.0.0.2:54\n}', ['example.org.']),
      ),
      [
        {
          zones: ['example.org.'],
          to: [
            '*',
            { address: '10.0.0.1', port: 53 },
            { address: '::1', port: 5353 },
            { address: '10.0.0.2', port: 54 },
          ],
        },
      ],
    );
    const rules = transferDefinition.parse(directiveFrom('transfer example.net 10.0.0.0/8 {\n to *\n}'));
    assert.deepEqual(rules[0]?.zones, ['example.net.', '10.in-addr.arpa.']);
    assert.equal(transferDefinition.combine?.([rules, rules]).length, 2);
  });

  it('rejects what CoreDNS rejects', () => {
    const cases: [string, RegExp][] = [
      ['transfer', /'to' is required/],
      ['transfer {\n to\n}', /Wrong argument count/],
      ['transfer {\n to example.org\n}', /not an IP address: 'example.org'/],
      ['transfer {\n from 10.0.0.1\n}', /unknown property 'from'/],
    ];
    for (const [text, message] of cases)
      assert.match(parseError(() => transferDefinition.parse(directiveFrom(text))).message, message, text);
  });
});
