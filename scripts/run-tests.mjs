#!/usr/bin/env node
// Collects every *.test.ts under src/, test/ and examples/ and runs them with node's test runner.
// Node 20 neither expands globs for --test nor finds .ts files in a folder, and an empty run exits 0:
// so we collect the files ourselves and fail when no file or no test ran.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function collect(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(collect(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const files = ['src', 'test', 'examples']
  .flatMap((d) => collect(join(root, d)))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}

const tapDir = mkdtempSync(join(tmpdir(), 'dnskit-tests-'));
const tapFile = join(tapDir, 'report.tap');
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-timeout=60000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
const tap = readFileSync(tapFile, 'utf8');
rmSync(tapDir, { recursive: true, force: true });
const count = (key) => Number(tap.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? Number.NaN);
const tests = count('tests');
const passed = count('pass');
const failed = count('fail');
const skipped = count('skipped');
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (!(tests > 0)) {
  console.error('run-tests: zero tests ran');
  process.exit(1);
}
process.exit(result.status ?? 1);
