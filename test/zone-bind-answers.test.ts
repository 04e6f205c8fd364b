/**
 * BIND as an oracle for answers: the same zone file served by BIND's `named` and by dnskit's
 * `file` plugin must give the same rcode, AA flag and sections for every query below (as `dig`
 * prints them, without RD, EDNS or cookies, sorted per section). `named` is part of the test
 * environment (Debian's bind9, installed by .ci/run).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { silentLogger } from '../src/core/logger.js';
import { createServer } from '../src/core/server.js';
import type { DnsServer } from '../src/core/types.js';
import { file } from '../src/plugins/file/index.js';

const run = promisify(execFile);
const ZONE = new URL('./fixtures/zones/db.cmp.test', import.meta.url).pathname;

const QUERIES: [string, string][] = [
  ['www', 'A'],
  ['www', 'AAAA'],
  ['www', 'MX'],
  ['nothing', 'A'],
  ['alias', 'A'],
  ['chain', 'A'],
  ['dangling', 'A'],
  ['out', 'A'],
  ['x.wild', 'A'],
  ['x.wild', 'TXT'],
  ['x.wild', 'MX'],
  ['sub.wild', 'A'],
  ['y.sub.wild', 'A'],
  ['b.c', 'A'],
  ['c', 'A'],
  ['deleg', 'A'],
  ['x.deleg', 'A'],
  ['deleg', 'DS'],
  ['ns.deleg', 'A'],
  ['x.dn', 'A'],
  ['dn', 'DNAME'],
  ['@', 'SOA'],
  ['@', 'NS'],
  ['@', 'MX'],
  ['@', 'TXT'],
  ['_sip._udp', 'SRV'],
  ['WWW', 'A'],
  ['ns1', 'A'],
  ['ns1', 'AAAA'],
  ['mail', 'A'],
];

/** A UDP port free a moment ago (named binds it right after, for UDP and TCP). */
function freePort(): Promise<number> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** rcode, flags and the sections of dig's answer, one sorted line each, without the ID. */
async function answer(port: number, name: string, type: string): Promise<string[]> {
  const { stdout } = await run(
    'dig',
    ['@127.0.0.1', '-p', String(port), name, type, '+norec', '+noedns', '+nocookie', '+time=2', '+tries=2'],
    { timeout: 10_000 },
  );
  const lines: string[] = [];
  let section = '';
  for (const line of stdout.split('\n')) {
    const status = /status: (\w+)/.exec(line);
    if (status) lines.push(`RCODE ${status[1]}`);
    const flags = /^;; flags: ([^;]*);/.exec(line);
    if (flags) lines.push(`FLAGS ${flags[1]}`);
    const header = /^;; (ANSWER|AUTHORITY|ADDITIONAL) SECTION/.exec(line);
    if (header) section = header[1] as string;
    if (section !== '' && line !== '' && !line.startsWith(';'))
      lines.push(`${section} ${line.replace(/\s+/g, ' ')}`);
  }
  return lines.sort();
}

async function startNamed(dir: string, port: number): Promise<ChildProcess> {
  writeFileSync(
    join(dir, 'named.conf'),
    `options { directory "${dir}"; listen-on port ${port} { 127.0.0.1; }; listen-on-v6 { none; };
  recursion no; pid-file none; session-keyfile none; dnssec-validation no; };
zone "cmp.test" { type primary; file "${ZONE}"; };\n`,
  );
  const user = process.getuid?.() === 0 ? ['-u', 'root'] : [];
  const named = spawn('named', ['-g', '-c', join(dir, 'named.conf'), ...user], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  named.stderr.on('data', (d: Buffer) => {
    log += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`named did not start: ${log}`)), 15_000);
    const check = () => {
      // "all zones loaded" comes last; an early banner line also says "running on Linux".
      if (/all zones loaded/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    named.stderr.on('data', check);
    named.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`named is missing (apt-get install bind9): ${error.message}`));
    });
    named.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`named exited ${code}: ${log}`));
    });
  });
  return named;
}

describe('zone answers: BIND as an oracle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnskit-named-'));
  let named: ChildProcess | undefined;
  let namedPort = 0;
  let server: DnsServer | undefined;
  let dnskitPort = 0;

  before(async () => {
    namedPort = await freePort();
    named = await startNamed(dir, namedPort);
    server = createServer({
      zones: ['cmp.test.'],
      port: 0,
      listen: ['127.0.0.1'],
      logger: silentLogger,
      plugins: [file({ path: ZONE, zones: ['cmp.test.'], reloadMs: 0 })],
    });
    await server.listen();
    dnskitPort = server.addresses()[0]?.port ?? 0;
  });

  after(async () => {
    named?.kill('SIGTERM');
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [label, type] of QUERIES) {
    const name = label === '@' ? 'cmp.test.' : `${label}.cmp.test.`;
    it(`${name} ${type} answers as BIND does`, async () => {
      const [expected, actual] = await Promise.all([
        answer(namedPort, name, type),
        answer(dnskitPort, name, type),
      ]);
      assert.ok(expected.length > 2, `named gave no answer: ${expected.join('\n')}`);
      // Owner names are compared ignoring case: dnskit answers with the query's spelling (as
      // CoreDNS does, RFC 4343), BIND with the zone's. Everything else must be identical.
      const lower = (lines: string[]) => lines.map((line) => line.toLowerCase()).sort();
      assert.deepEqual(lower(actual), lower(expected));
      if (label === 'WWW')
        assert.ok(
          actual.some((line) => line.startsWith('ANSWER WWW.cmp.test.')),
          actual.join('\n'),
        );
    });
  }
});
