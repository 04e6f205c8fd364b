import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CorefileError } from './errors.js';
import { type ParseOptions, parseCorefile } from './parser.js';

/** An in-memory file tree for `readFile` / `readdir`, failing like node:fs does. */
function memoryFs(files: Record<string, string>): Pick<ParseOptions, 'readFile' | 'readdir'> {
  const fail = (code: string, path: string) => Object.assign(new Error(`${code}: ${path}`), { code });
  const isDir = (path: string) => Object.keys(files).some((f) => f.startsWith(`${path}/`));
  return {
    readFile: (path) => {
      const text = files[path];
      if (text !== undefined) return text;
      throw isDir(path) ? fail('EISDIR', path) : fail('ENOENT', path);
    },
    readdir: (dir) => {
      const prefix = dir === '.' ? '' : `${dir}/`;
      const names = Object.keys(files)
        .filter((f) => f.startsWith(prefix))
        .map((f) => f.slice(prefix.length).split('/')[0] as string);
      if (names.length === 0) throw fail('ENOENT', dir);
      return [...new Set(names)];
    },
  };
}

const names = (options: ParseOptions, text: string) =>
  parseCorefile(text, { env: {}, ...options }).blocks.map((b) => [
    b.keys.map((k) => k.text).join(' '),
    b.directives.map((d) => `${d.name.text}@${d.name.file}:${d.name.line}`),
  ]);

function assertError(run: () => unknown, file: string, line: number, detail: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof CorefileError, String(error));
    assert.deepEqual([error.file, error.line, error.detail], [file, line, detail]);
    return true;
  });
}

describe('import FILE', () => {
  it('reads a file relative to the importing file, and locates its tokens in that file', () => {
    const fs = memoryFs({
      'etc/common.conf': 'errors\nimport more/log.conf',
      'etc/more/log.conf': '\nlog',
    });
    const text = '. {\n  import common.conf\n  cache\n}';
    assert.deepEqual(names({ ...fs, file: 'etc/Corefile' }, text), [
      ['.', ['errors@etc/common.conf:1', 'log@etc/more/log.conf:2', 'cache@etc/Corefile:3']],
    ]);
  });

  it('imports whole server blocks at the top level', () => {
    const fs = memoryFs({ 'zones.conf': 'a.org {\n  log\n}\nb.org {\n}' });
    assert.deepEqual(names(fs, 'import zones.conf\n. {\n}'), [
      ['a.org', ['log@zones.conf:2']],
      ['b.org', []],
      ['.', []],
    ]);
  });

  it('takes an absolute path as it is, and substitutes the environment in the path', () => {
    const fs = memoryFs({ '/srv/dns/extra.conf': 'log' });
    assert.deepEqual(names({ ...fs, env: { DIR: '/srv/dns' } }, '. {\n import {$DIR}/extra.conf\n}'), [
      ['.', ['log@/srv/dns/extra.conf:1']],
    ]);
  });

  it('reports a missing file at the import line', () => {
    assertError(
      () => names(memoryFs({}), '. {\n\n import missing.conf\n}'),
      'Corefile',
      3,
      'File to import not found: missing.conf',
    );
  });

  it('reports a folder', () => {
    const fs = memoryFs({ 'conf.d/a.conf': 'log' });
    assertError(
      () => names(fs, '. {\n import conf.d\n}'),
      'Corefile',
      2,
      'Could not import conf.d: is a directory',
    );
  });

  it('reports a read failure with its reason', () => {
    const readFile = () => {
      throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
    };
    assertError(
      () => names({ readFile }, '. {\n import x.conf\n}'),
      'Corefile',
      2,
      'Could not import x.conf: permission denied',
    );
  });

  it('locates syntax errors inside the imported file', () => {
    const fs = memoryFs({ 'bad.conf': 'log\n}' });
    assertError(
      () => names(fs, 'import bad.conf'),
      'bad.conf',
      2,
      "Unexpected '}' because no matching opening brace",
    );
  });

  it('detects a file that imports itself, directly or through another', () => {
    const fs = memoryFs({ 'a.conf': 'import b.conf', 'b.conf': 'log\nimport a.conf' });
    assertError(
      () => names(fs, '. {\n import a.conf\n}'),
      'b.conf',
      2,
      'Import cycle detected: Corefile -> a.conf -> b.conf -> a.conf',
    );
    assertError(
      () => names(memoryFs({ Corefile: '' }), '. {\n import Corefile\n}'),
      'Corefile',
      2,
      'Import cycle detected: Corefile -> Corefile',
    );
  });

  it('imports the same file twice when it is not a cycle', () => {
    const fs = memoryFs({ 'common.conf': 'log' });
    assert.deepEqual(names(fs, 'a.org {\n import common.conf\n}\nb.org {\n import common.conf\n}'), [
      ['a.org', ['log@common.conf:1']],
      ['b.org', ['log@common.conf:1']],
    ]);
  });
});

describe('import GLOB', () => {
  const fs = memoryFs({
    'conf.d/b.conf': 'b.org {\n}',
    'conf.d/a.conf': 'a.org {\n}',
    'conf.d/readme.txt': 'not a corefile {',
    'conf.d/c1.zone': 'c1.org {\n}',
  });

  it('imports every match in name order', () => {
    assert.deepEqual(names(fs, 'import conf.d/*.conf'), [
      ['a.org', []],
      ['b.org', []],
    ]);
    assert.deepEqual(names(fs, 'import conf.d/c?.zone'), [['c1.org', []]]);
  });

  it('accepts a glob that matches nothing, with a warning', () => {
    const warnings: string[] = [];
    assert.deepEqual(names({ ...fs, onWarning: (m) => warnings.push(m) }, 'import conf.d/*.none\n. {\n}'), [
      ['.', []],
    ]);
    assert.deepEqual(warnings, ['No files matching import glob pattern: conf.d/*.none']);
    assert.deepEqual(names(fs, 'import nowhere/*.conf'), []);
  });

  it('allows only one wildcard, in the file name', () => {
    const many = 'Glob pattern may only contain one wildcard (*), but has others: conf.d/*.*';
    assertError(() => names(fs, 'import conf.d/*.*'), 'Corefile', 1, many);
    assertError(
      () => names(fs, '\nimport [ab].conf'),
      'Corefile',
      2,
      'Glob pattern may only contain one wildcard (*), but has others: [ab].conf',
    );
    assertError(
      () => names(fs, 'import */a.conf'),
      'Corefile',
      1,
      'Glob wildcards are only supported in the file name, not in folders: */a.conf',
    );
  });
});

describe('import with the real file system', () => {
  it('reads files and globs through node:fs by default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnskit-corefile-'));
    try {
      mkdirSync(join(dir, 'conf.d'));
      writeFileSync(join(dir, 'conf.d', 'one.conf'), 'one.org {\n  log\n}\n');
      writeFileSync(join(dir, 'conf.d', 'two.conf'), 'two.org {\n}\n');
      writeFileSync(join(dir, 'snip.conf'), 'errors\n');
      const file = join(dir, 'Corefile');
      const { blocks } = parseCorefile('import conf.d/*.conf\n. {\n  import snip.conf\n}\n', {
        file,
        env: {},
      });
      assert.deepEqual(
        blocks.map((b) => [b.keys[0]?.text, b.directives.map((d) => d.name.text)]),
        [
          ['one.org', ['log']],
          ['two.org', []],
          ['.', ['errors']],
        ],
      );
      assert.equal(blocks[2]?.directives[0]?.name.file, join(dir, 'snip.conf'));
      assert.throws(
        () => parseCorefile('. {\n import gone.conf\n}', { file, env: {} }),
        /File to import not found/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
