import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../src/core/logger.js';
import { createServer } from '../src/core/server.js';
import type { DnsServer } from '../src/core/types.js';
import { loadCorefile } from '../src/corefile/index.js';
import { builtinPlugins } from '../src/plugins/index.js';
import { createRegistry } from '../src/registry/index.js';
import { dig } from './helpers/dig.js';

const manifests = fileURLToPath(new URL('./fixtures/k8s/cluster.yaml', import.meta.url));
const COREFILE = `.:0 {
  bind 127.0.0.1
  kubernetes cluster.local in-addr.arpa {
    manifests "${manifests}"
    pods verified
    ttl 10
  }
}`;

describe('kubernetes over loopback with the manifests extension', { timeout: 30_000 }, () => {
  let server: DnsServer;
  let port = 0;
  before(async () => {
    const { blocks } = loadCorefile(COREFILE, { file: 'Corefile', registry: createRegistry(builtinPlugins) });
    server = createServer({ blocks, logger: silentLogger });
    await server.listen();
    port = server.addresses().find((address) => address.transport === 'udp')?.port ?? 0;
    assert.ok(port > 0);
  });
  after(() => server.close());

  it('is ready once the manifests are loaded', () => {
    assert.equal(server.ready(), true);
  });

  it('answers a service A record over UDP, authoritatively', async () => {
    const result = await dig('127.0.0.1', port, ['svc1.testns.svc.cluster.local', 'A']);
    assert.equal(result.status, 'NOERROR');
    assert.ok(result.flags.includes('aa'));
    assert.deepEqual(result.answers, ['svc1.testns.svc.cluster.local. 10 IN A 10.0.0.1']);
  });

  it('answers SRV over TCP and PTR, and NXDOMAIN for unknown services', async () => {
    const srv = await dig('127.0.0.1', port, ['+tcp', '_http._tcp.hdls1.testns.svc.cluster.local', 'SRV']);
    assert.equal(srv.transport, 'TCP');
    assert.equal(srv.answers.length, 2);
    assert.match(srv.raw, /172-0-0-2\.hdls1\.testns\.svc\.cluster\.local\.\s+10\s+IN\s+A\s+172\.0\.0\.2/);
    const ptr = await dig('127.0.0.1', port, ['-x', '10.0.0.1']);
    assert.deepEqual(ptr.answers, ['1.0.0.10.in-addr.arpa. 10 IN PTR svc1.testns.svc.cluster.local.']);
    const missing = await dig('127.0.0.1', port, ['nope.testns.svc.cluster.local', 'A']);
    assert.equal(missing.status, 'NXDOMAIN');
    assert.match(
      missing.raw,
      /cluster\.local\.\s+10\s+IN\s+SOA\s+ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\./,
    );
  });

  it('answers verified pod names', async () => {
    const pod = await dig('127.0.0.1', port, ['10-244-0-7.testns.pod.cluster.local', 'A']);
    assert.deepEqual(pod.answers, ['10-244-0-7.testns.pod.cluster.local. 10 IN A 10.244.0.7']);
  });
});
