import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const main = new URL('../src/cli/main.ts', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dnskit-cli-'));
}

/** Runs the CLI to completion (for flags that print and exit). */
async function cli(
  args: string[],
  cwd = tempDir(),
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', tsx, main, ...args], {
      cwd,
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Starts the CLI as a server and resolves with the port its banner names. */
function serve(
  args: string[],
  cwd: string,
): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, ['--import', tsx, main, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 20s: ${out}`)), 20_000);
    const check = () => {
      const match = /^\.:(\d+)$/m.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), output: () => out });
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${out}`));
    });
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

async function dig(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(port), '+time=2', '+tries=1', ...args], {
    timeout: 10_000,
  });
  return stdout;
}

describe('dnskit CLI', () => {
  it('prints its version and plugins', async () => {
    const version = await cli(['-version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^dnskit-\d+\.\d+\.\d+\n/);
    const plugins = await cli(['--plugins']);
    assert.equal(plugins.code, 0);
    for (const name of ['whoami', 'log', 'errors', 'chaos', 'bind', 'any', 'minimal']) {
      assert.match(plugins.stdout, new RegExp(`^  dns\\.${name}$`, 'm'));
    }
  });

  it('rejects an unknown flag with the usage and exit code 2', async () => {
    const result = await cli(['-nope']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Usage of dnskit/);
  });

  it('rejects a bad port', async () => {
    const result = await cli(['-dns.port', 'http']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /invalid port/);
  });

  it('fails with a located error on a bad Corefile', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'Corefile'), '. {\n    whoami\n    nosuchplugin\n}\n');
    const result = await cli(['-conf', 'Corefile', '-dns.port', '0'], dir);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Corefile:3 - Error during parsing: .*nosuchplugin/m);
  });

  it('fails clearly when -conf names a missing file', async () => {
    const result = await cli(['-conf', 'missing.Corefile']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /missing\.Corefile/);
  });

  it('serves a Corefile over UDP and TCP, writes a pidfile, and stops on SIGTERM', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'my.Corefile'), '.:0 {\n    bind 127.0.0.1\n    whoami\n}\n');
    const pidfile = join(dir, 'dnskit.pid');
    const { child, port } = await serve(['-conf', 'my.Corefile', '-pidfile', pidfile], dir);
    try {
      assert.equal(readFileSync(pidfile, 'utf8').trim(), String(child.pid));
      const udp = await dig(port, 'example.org', 'A');
      assert.match(udp, /status: NOERROR/);
      assert.match(udp, /_udp\.example\.org\.\s+0\s+IN\s+SRV/);
      const tcp = await dig(port, '+tcp', 'example.org', 'A');
      assert.match(tcp, /_tcp\.example\.org\.\s+0\s+IN\s+SRV/);
    } finally {
      assert.equal(await stop(child), 0);
    }
    assert.equal(existsSync(pidfile), false);
  });

  it('serves ./Corefile when there is no -conf, and the embedded demo when there is none', async () => {
    const withFile = tempDir();
    writeFileSync(join(withFile, 'Corefile'), '. {\n    bind 127.0.0.1\n    chaos from-the-file\n}\n');
    const a = await serve(['-dns.port', '0'], withFile);
    try {
      assert.match(await dig(a.port, 'version.bind', 'CH', 'TXT'), /"from-the-file"/);
    } finally {
      await stop(a.child, 'SIGINT');
    }
    const b = await serve(['-dns.port', '0'], tempDir());
    try {
      assert.match(await dig(b.port, 'version.bind', 'CH', 'TXT'), /"dnskit-\d+\.\d+\.\d+"/);
      // The demo's zone file, cluster manifests and whoami zone. (Never a name that would reach the
      // demo's forward: that goes to the machine's resolver, which tests must not contact.)
      assert.match(
        await dig(b.port, 'www.example.test', 'A'),
        /www\.example\.test\.\s+3600\s+IN\s+A\s+192\.0\.2\.80/,
      );
      assert.match(
        await dig(b.port, 'nginx.default.svc.cluster.local', 'A'),
        /nginx\.default\.svc\.cluster\.local\.\s+5\s+IN\s+A\s+10\.96\.0\.20/,
      );
      assert.match(await dig(b.port, 'whoami.test', 'A'), /_udp\.whoami\.test\.\s+0\s+IN\s+SRV/);
      assert.match(await dig(b.port, 'example.org', 'ANY'), /"ANY obsoleted" "See RFC 8482"/);
    } finally {
      await stop(b.child);
    }
  });

  it('-quiet prints no banner but serves', async () => {
    const dir = tempDir();
    const port = await freePort();
    writeFileSync(join(dir, 'Corefile'), `.:${port} {\n    bind 127.0.0.1\n    whoami\n}\n`);
    const pidfile = join(dir, 'pid');
    const child = spawn(process.execPath, ['--import', tsx, main, '-quiet', '-pidfile', pidfile], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    try {
      // The pidfile is written once the server listens.
      for (let i = 0; i < 200 && !existsSync(pidfile); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(existsSync(pidfile), 'server did not start');
      assert.match(await dig(port, 'example.org', 'A'), /_udp\.example\.org\./);
    } finally {
      assert.equal(await stop(child), 0);
    }
    assert.equal(stdout, '');
  });
});

/** A UDP port that was free a moment ago (the test binds it right after). */
function freePort(): Promise<number> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}
