import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const dir = new URL('../examples/', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');

/** What each runnable example must print; a new example without an entry fails this test. */
const expected: Record<string, RegExp[]> = {
  'embedded-server.ts': [
    /web\.app\.test -> 192\.0\.2\.10/,
    /nope\.app\.test -> ENOTFOUND/,
    /example\.com -> EREFUSED/,
  ],
  'custom-directive.ts': [/TXT -> \["hello from a Corefile"\]/, /A -> additional records: 2/],
};

describe('examples', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  it('has an expectation for every runnable example', () => {
    assert.deepEqual(files.sort(), Object.keys(expected).sort());
  });
  for (const file of files) {
    it(`runs ${file}`, async () => {
      const { stdout } = await run(process.execPath, ['--import', tsx, `${dir}${file}`], { timeout: 30_000 });
      for (const pattern of expected[file] ?? []) assert.match(stdout, pattern);
    });
  }
});
