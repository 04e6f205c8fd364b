// Zone store and master-file parser at scale: a generated zone of 1,000,000 records (A, AAAA,
// MX, TXT, CNAME on 400,000 names, plus a wildcard and delegations) is parsed from text and built
// into a zone, in a fresh process, with --expose-gc. Reports records/s for parsing and building,
// bytes per record from the heap and RSS deltas after GC, and lookups/s for a mix of answers,
// CNAMEs, wildcards, NXDOMAINs and referrals.
//
// Runs against dist/ (npm run build first):  node --expose-gc scripts/bench/zone-load.mjs [records]
const TARGET = Number(process.argv[2] ?? 1_000_000);
const LOOKUP_MS = 2000;

function zoneText(target) {
  const lines = [
    '$TTL 3600',
    '$ORIGIN bench.example.',
    '@ SOA ns1 hostmaster 1 7200 3600 1209600 300',
    ' NS ns1',
    'ns1 A 192.0.2.53',
    '*.wild A 192.0.2.99',
  ];
  let records = lines.length - 2;
  for (let i = 0; records < target; i++) {
    const name = `host-${i}`;
    const n = i & 0xffffff;
    lines.push(`${name} A 10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`);
    records++;
    if (i % 2 === 0) {
      lines.push(` AAAA 2001:db8::${(i & 0xffff).toString(16)}`);
      records++;
    }
    if (i % 5 === 0) {
      lines.push(` MX 10 mail-${i}.example.net.`, ` TXT "v=spf1 include:_spf-${i}.example.net -all"`);
      records += 2;
    }
    if (i % 10 === 0) {
      lines.push(`alias-${i} CNAME ${name}`);
      records++;
    }
    if (i % 1000 === 0) {
      lines.push(`sub-${i} NS ns.sub-${i}`, `ns.sub-${i} A 192.0.2.1`);
      records += 2;
    }
  }
  return { text: `${lines.join('\n')}\n`, hosts: Math.ceil(target / 2.7) };
}

function gcMemory() {
  globalThis.gc?.();
  globalThis.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}

const { createZone, parseZone } = await import('../../dist/zone/index.js');
const { text, hosts } = zoneText(TARGET);
const before = gcMemory();

let started = performance.now();
const records = parseZone(text, { origin: 'bench.example.', file: 'bench' });
const parseMs = performance.now() - started;
started = performance.now();
const zone = createZone('bench.example.', records);
const buildMs = performance.now() - started;
records.length = 0;
const after = gcMemory();

const queries = [];
for (let i = 0; i < 4096; i++) {
  const h = (i * 7919) % hosts;
  queries.push(
    [`host-${h}.bench.example.`, 'A'],
    [`alias-${h - (h % 10)}.bench.example.`, 'A'],
    [`x${i}.wild.bench.example.`, 'A'],
    [`nx-${i}.bench.example.`, 'A'],
    [`a.sub-${h - (h % 1000)}.bench.example.`, 'A'],
  );
}
let lookups = 0;
started = performance.now();
while (performance.now() - started < LOOKUP_MS) {
  for (const [name, type] of queries) zone.lookup(name, type);
  lookups += queries.length;
}
const lookupMs = performance.now() - started;

const perRecord = (bytes) => (bytes / zone.size).toFixed(0);
console.log(
  `zone-load: ${zone.size.toLocaleString('en')} records (${(text.length / 1e6).toFixed(1)} MB of text)`,
);
console.log(
  `  parse   ${parseMs.toFixed(0)} ms  ${Math.round(zone.size / (parseMs / 1000)).toLocaleString('en')} records/s`,
);
console.log(
  `  build   ${buildMs.toFixed(0)} ms  ${Math.round(zone.size / (buildMs / 1000)).toLocaleString('en')} records/s`,
);
console.log(
  `  memory  heap +${((after.heapUsed - before.heapUsed) / 1e6).toFixed(0)} MB (${perRecord(after.heapUsed - before.heapUsed)} B/record), rss +${((after.rss - before.rss) / 1e6).toFixed(0)} MB (${perRecord(after.rss - before.rss)} B/record)`,
);
console.log(
  `  lookup  ${Math.round(lookups / (lookupMs / 1000)).toLocaleString('en')} lookups/s (answer, CNAME, wildcard, NXDOMAIN, referral mix)`,
);
