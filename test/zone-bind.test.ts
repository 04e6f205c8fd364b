/**
 * BIND as an oracle: the records dnskit reads from a zone file with many types and syntax
 * features must be the records `named-compilezone` reads from it. The tool is part of the test
 * environment (Debian's bind9-utils, installed by .ci/run): a missing tool is a failure.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatRecord } from '../src/wire/index.js';
import { loadZone, loadZoneFile } from '../src/zone/index.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'zones', 'db.oracle.example');

function hasTool(): boolean {
  try {
    execFileSync('named-compilezone', ['-v'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

const available = hasTool();

describe('zone files: BIND as an oracle', () => {
  it('reads the same records as named-compilezone', () => {
    assert.ok(available, 'named-compilezone is missing: apt-get install bind9-utils');
    const dir = mkdtempSync(join(tmpdir(), 'dnskit-bind-'));
    try {
      const out = join(dir, 'compiled');
      // -i none: no integrity checks beyond loading (the RRSIG is not a real signature).
      execFileSync(
        'named-compilezone',
        ['-i', 'none', '-f', 'text', '-F', 'text', '-s', 'full', '-o', out, 'example.', FIXTURE],
        {
          stdio: 'ignore',
          timeout: 20_000,
        },
      );
      const bind = loadZone(readFileSync(out, 'utf8'), { origin: 'example.', file: 'compiled' });
      const ours = loadZoneFile(FIXTURE, { origin: 'example.' });
      const canonical = (zone: typeof ours) => [...zone.records()].map(formatRecord).sort();
      assert.equal(ours.size, bind.size);
      assert.deepEqual(canonical(ours), canonical(bind));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
