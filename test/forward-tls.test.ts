import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createServer as createTlsServer, type Server } from 'node:tls';
import { promisify } from 'node:util';
import { createServer } from '../src/core/server.js';
import { directiveFrom, makeQuery } from '../src/plugin-kit/test-helpers.js';
import { forwardDefinition } from '../src/plugins/forward/index.js';
import { createFrameReader, decodeMessage, encodeMessage, frameMessage } from '../src/wire/index.js';
import { aRecord, replyTo } from './forward-helpers.js';

const run = promisify(execFile);

/** A throwaway CA and a server certificate for 127.0.0.1 and dns.test, made with openssl. */
async function makeCertificates(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const at = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=dnskit test CA',
  ]);
  await run('openssl', [
    'req',
    ...ec,
    '-keyout',
    at('server.key'),
    '-out',
    at('server.csr'),
    '-subj',
    '/CN=dns.test',
  ]);
  writeFileSync(at('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:dns.test\n');
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-out',
    at('server.pem'),
    '-days',
    '1',
    '-extfile',
    at('ext.cnf'),
  ]);
  return { ca: at('ca.pem'), cert: at('server.pem'), key: at('server.key') };
}

describe('forward: DNS over TLS', () => {
  let dir: string;
  let files: { ca: string; cert: string; key: string };
  let upstream: Server;
  let port: number;
  let connections = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dnskit-dot-'));
    files = await makeCertificates(dir);
    upstream = createTlsServer({ cert: readFileSync(files.cert), key: readFileSync(files.key) }, (socket) => {
      connections++;
      socket.on('error', () => {});
      const reader = createFrameReader((frame) => {
        const query = decodeMessage(frame);
        socket.write(frameMessage(encodeMessage(replyTo(query, [aRecord(query, '192.0.2.53')]))));
      });
      socket.on('data', (chunk) => reader.push(new Uint8Array(chunk)));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
    const address = upstream.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });

  after(async () => {
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('forwards over TLS, verifying the upstream with the configured CA, and reuses the connection', async () => {
    const options = forwardDefinition.parse(
      directiveFrom(`forward . tls://127.0.0.1:${port} {\n  tls ${files.ca}\n  tls_servername dns.test\n}`),
    );
    const server = createServer({ plugins: [forwardDefinition.create(options)] });
    const before = connections;
    const first = await server.exchange(makeQuery('dot.example.'), { peer: { transport: 'udp' } });
    const second = await server.exchange(makeQuery('dot2.example.'), { peer: { transport: 'udp' } });
    await server.close();
    assert.equal(first.answers[0]?.data, '192.0.2.53');
    assert.equal(second.answers[0]?.data, '192.0.2.53');
    assert.equal(connections - before, 1);
  });

  it('verifies the IP address when no server name is given', async () => {
    const options = forwardDefinition.parse(
      directiveFrom(`forward . tls://127.0.0.1:${port} {\n  tls ${files.ca}\n}`),
    );
    const server = createServer({ plugins: [forwardDefinition.create(options)] });
    const response = await server.exchange(makeQuery('ip.example.'));
    await server.close();
    assert.equal(response.answers[0]?.data, '192.0.2.53');
  });

  it('refuses an upstream whose certificate does not verify (SERVFAIL)', async () => {
    const wrongName = forwardDefinition.parse(
      directiveFrom(
        `forward . tls://127.0.0.1:${port} {\n  tls ${files.ca}\n  tls_servername other.test\n  max_fails 0\n}`,
      ),
    );
    const systemCas = forwardDefinition.parse(
      directiveFrom(`forward . tls://127.0.0.1:${port} {\n  max_fails 0\n}`),
    );
    for (const options of [wrongName, systemCas]) {
      const server = createServer({
        plugins: [forwardDefinition.create({ ...options, timeoutMs: 300, readTimeoutMs: 200 })],
      });
      const response = await server.exchange(makeQuery('mitm.example.'));
      await server.close();
      assert.equal(response.rcode, 'SERVFAIL');
    }
  });
});
