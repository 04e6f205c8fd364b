import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeMessage, encodeMessage, makeQuery } from '../src/wire/index.js';

const main = new URL('../src/cli/main.ts', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');

function corefile(version: string, extra = ''): string {
  return `.:0 {\n    bind 127.0.0.1\n    reload 2s 1s\n    chaos ${version}\n${extra}}\n`;
}

/** Starts the CLI and resolves with the port its banner names. */
function serve(file: string): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, ['--import', tsx, main, '-conf', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const collect = (d: Buffer) => {
    out += d.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 20s: ${out}`)), 20_000);
    child.stdout.on('data', () => {
      const match = /^\.:(\d+)$/m.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), output: () => out });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${out}`));
    });
  });
}

/**
 * Asks `version.bind CH TXT` every 10 ms from one socket until `until` holds for an answer or
 * `limitMs` passes; returns the answers in order and how many queries were sent.
 */
async function poll(
  port: number,
  until: (version: string) => boolean,
  limitMs: number,
): Promise<{ sent: number; versions: string[] }> {
  const socket = createSocket('udp4');
  const versions: string[] = [];
  let sent = 0;
  try {
    return await new Promise((resolve, reject) => {
      const finish = () => {
        clearInterval(timer);
        clearTimeout(limit);
        // Let the answers to the last queries arrive before counting.
        setTimeout(() => resolve({ sent, versions }), 200);
      };
      socket.on('message', (message) => {
        const txt = decodeMessage(new Uint8Array(message)).answers[0]?.data as string[] | undefined;
        const version = txt?.join('') ?? '';
        versions.push(version);
        if (until(version) && versions.length === sent) finish();
      });
      const timer = setInterval(() => {
        const query = makeQuery('version.bind.', 'TXT', { class: 'CH', id: sent++ & 0xffff });
        socket.send(encodeMessage(query), port, '127.0.0.1');
      }, 10);
      const limit = setTimeout(() => {
        clearInterval(timer);
        reject(new Error(`condition not met within ${limitMs} ms; last answers: ${versions.slice(-3)}`));
      }, limitMs);
    });
  } finally {
    socket.close();
  }
}

function waitForOutput(output: () => string, pattern: RegExp, limitMs: number): Promise<void> {
  const deadline = performance.now() + limitMs;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pattern.test(output())) resolve();
      else if (performance.now() > deadline)
        reject(new Error(`no ${pattern} within ${limitMs} ms: ${output()}`));
      else setTimeout(check, 20);
    };
    check();
  });
}

describe('reload in the CLI', () => {
  it('swaps to a rewritten Corefile without dropping a query, and keeps it when the next one is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnskit-reload-'));
    const file = join(dir, 'Corefile');
    writeFileSync(file, corefile('one'));
    const { child, port, output } = await serve(file);
    try {
      assert.match(output(), /\[INFO\] plugin\/reload: Running configuration SHA512 = [0-9a-f]{128}/);
      writeFileSync(file, corefile('two'));
      // Queries go out every 10 ms across the swap; every one must be answered.
      const swap = await poll(port, (v) => v === 'two', 8000);
      assert.equal(swap.versions.length, swap.sent, 'a query was dropped during the reload');
      assert.equal(swap.versions[0], 'one');
      const firstTwo = swap.versions.indexOf('two');
      assert.ok(
        swap.versions.slice(firstTwo).every((v) => v === 'two'),
        'answers went back to the old config',
      );
      assert.match(output(), /\[INFO\] Reloading\n/);
      assert.match(output(), /\[INFO\] Reloading complete\n/);

      writeFileSync(file, corefile('three', '    nosuchplugin\n'));
      await waitForOutput(
        output,
        /\[ERROR\] plugin\/reload: Corefile changed but reload failed: .*Corefile:5 - Error during parsing: Unknown directive 'nosuchplugin'/,
        8000,
      );
      const after = await poll(port, () => true, 2000);
      assert.deepEqual(new Set(after.versions), new Set(['two']));

      // SIGUSR1 reloads at once, as in CoreDNS.
      writeFileSync(file, corefile('four'));
      child.kill('SIGUSR1');
      await poll(port, (v) => v === 'four', 4000);
      await waitForOutput(output, /\[INFO\] SIGUSR1: Reloading complete\n/, 4000);
    } finally {
      await new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      });
    }
  });
});
