import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServer } from '../src/core/server.js';
import type { DnsServer } from '../src/core/types.js';
import { loadCorefile } from '../src/corefile/index.js';
import { builtinPlugins } from '../src/plugins/index.js';
import { createRegistry } from '../src/registry/index.js';
import { aRecord, FakeUpstream, replyTo } from './forward-helpers.js';
import { dig } from './helpers/dig.js';

/** A server from a Corefile on a free loopback port. */
async function serve(corefile: string): Promise<{ server: DnsServer; port: number }> {
  const registry = createRegistry(builtinPlugins);
  const { blocks } = loadCorefile(corefile, { file: 'Corefile', registry, defaultPort: 0 });
  const server = createServer({ blocks });
  await server.listen();
  const port = server.addresses()[0]?.port ?? 0;
  return { server, port };
}

describe('cache and forward from a Corefile, over real sockets', () => {
  let upstream: FakeUpstream;
  let other: FakeUpstream;
  let server: DnsServer;
  let port: number;

  before(async () => {
    // Long answers over UDP are truncated, so that dig has to come back over TCP.
    upstream = await FakeUpstream.start((query, transport) => {
      const name = query.questions[0]?.name ?? '';
      if (name.startsWith('big.') && transport === 'udp') {
        return replyTo(query, [], { flags: { ...query.flags, qr: true, ra: true, tc: true } });
      }
      return replyTo(query, [aRecord(query, '192.0.2.1', 120)]);
    });
    other = await FakeUpstream.answering('192.0.2.2');
    ({ server, port } = await serve(
      [
        '. {',
        '    bind 127.0.0.1',
        '    cache 30',
        `    forward lab.example ${other.address}`,
        `    forward . ${upstream.address} {`,
        '        except skip.example',
        '        policy sequential',
        '    }',
        '    whoami',
        '}',
      ].join('\n'),
    ));
  });

  after(async () => {
    await server.close();
    await upstream.close();
    await other.close();
  });

  it('forwards, caps the TTL and answers the repeat from the cache', async () => {
    const first = await dig('127.0.0.1', port, ['www.example.org', 'A']);
    const second = await dig('127.0.0.1', port, ['www.example.org', 'A']);
    assert.equal(first.status, 'NOERROR');
    assert.deepEqual(first.answers, ['www.example.org. 30 IN A 192.0.2.1']);
    assert.ok(first.flags.includes('ra'));
    assert.match(second.answers[0] ?? '', /^www\.example\.org\. (29|30) IN A 192\.0\.2\.1$/);
    assert.equal(upstream.lookups.filter((m) => m.questions[0]?.name === 'www.example.org.').length, 1);
  });

  it('chains forward lines in order, and except passes to the next plugin', async () => {
    const lab = await dig('127.0.0.1', port, ['host.lab.example', 'A']);
    assert.deepEqual(lab.answers, ['host.lab.example. 30 IN A 192.0.2.2']);
    const skipped = await dig('127.0.0.1', port, ['a.skip.example', 'A']);
    assert.deepEqual(skipped.answers, [], 'whoami answers in ADDITIONAL (cached, so at the 5 s minimum TTL)');
    assert.match(skipped.raw, /a\.skip\.example\.\s+5\s+IN\s+A\s+127\.0\.0\.1/);
  });

  it('a truncated upstream reply makes dig retry over TCP, which is forwarded over TCP', async () => {
    const result = await dig('127.0.0.1', port, ['big.example', 'A']);
    assert.equal(result.transport, 'TCP');
    assert.deepEqual(result.answers, ['big.example. 30 IN A 192.0.2.1']);
    const transports = upstream.queries
      .filter((q) => q.message.questions[0]?.name === 'big.example.')
      .map((q) => q.transport);
    assert.deepEqual(transports, ['udp', 'tcp']);
  });
});
