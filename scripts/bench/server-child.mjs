// A server under test, in its own process so its CPU time is measured alone.
// argv[2]: ceiling | whoami | static | zone | k8s. Reports { port } when listening, then answers
// 'cpu' messages with process.cpuUsage() so the parent can take deltas around a load run.
import { startCeiling } from './ceiling.mjs';

const kind = process.argv[2];

/** A zone of about 1,000 records: 330 names with A, AAAA and TXT, plus SOA and NS. */
function benchZone() {
  const lines = [
    '$ORIGIN zone.bench.',
    '$TTL 300',
    '@ SOA ns1 hostmaster 1 7200 3600 1209600 300',
    '@ NS ns1',
    'ns1 A 192.0.2.53',
  ];
  for (let i = 0; i < 330; i++)
    lines.push(
      `host-${i} A 192.0.2.${i % 250}`,
      `host-${i} AAAA 2001:db8::${i}`,
      `host-${i} TXT "record ${i}"`,
    );
  return `${lines.join('\n')}\n`;
}

/** 1,000 services in a memory cluster. */
function benchCluster(dnskit) {
  const cluster = dnskit.memoryCluster();
  for (let s = 0; s < 1000; s++) {
    cluster.service({
      name: `svc-${s}`,
      namespace: 'bench',
      clusterIP: `10.0.${s >> 8}.${s & 255}`,
      ports: [{ name: 'http', port: 80 }],
    });
  }
  return cluster;
}

async function pluginsFor(which, dnskit) {
  const staticAnswer = (ctx) =>
    ctx.reply({
      authoritative: true,
      answers: [{ name: ctx.question.name, type: 'A', class: 'IN', ttl: 60, data: '192.0.2.1' }],
    });
  // The whole chain in place: errors in front, as in a typical Corefile.
  switch (which) {
    case 'whoami':
      return [dnskit.errors(), dnskit.any(), dnskit.whoami()];
    case 'zone': {
      const { mkdtempSync, writeFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      const { tmpdir } = await import('node:os');
      const path = join(mkdtempSync(join(tmpdir(), 'dnskit-zone-')), 'db.zone.bench');
      writeFileSync(path, benchZone());
      return [dnskit.errors(), dnskit.file({ path, zones: ['zone.bench.'], reloadMs: 0 })];
    }
    case 'k8s':
      return [
        dnskit.errors(),
        dnskit.kubernetes({
          zones: ['cluster.local.'],
          cluster: benchCluster(dnskit),
          localIPs: ['127.0.0.1'],
        }),
      ];
    default:
      return [dnskit.errors(), { name: 'static', handle: staticAnswer }];
  }
}

async function startDnskit(which) {
  const dnskit = await import('../../dist/index.js');
  const plugins = await pluginsFor(which, dnskit);
  const server = dnskit.createServer({ port: 0, listen: ['127.0.0.1'], transports: ['udp'], plugins });
  await server.listen();
  return server.addresses()[0].port;
}

const port = kind === 'ceiling' ? await startCeiling() : await startDnskit(kind);
process.send({ port });
process.on('message', (m) => {
  if (m === 'cpu') process.send({ cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
  if (m === 'exit') process.exit(0);
});
