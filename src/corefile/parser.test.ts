import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CorefileError } from './errors.js';
import { type ParseOptions, parseCorefile } from './parser.js';
import type { DirectiveLine } from './types.js';

/** A directive tree as plain data: `[name, args, children]`. */
type Shape = [string, string[], Shape[]];
const shape = (line: DirectiveLine): Shape => [
  line.name.text,
  line.args.map((a) => a.text),
  line.block.map(shape),
];

const parse = (text: string, options: ParseOptions = {}) => parseCorefile(text, { env: {}, ...options });
const blocks = (text: string, options: ParseOptions = {}) =>
  parse(text, options).blocks.map((b) => ({
    keys: b.keys.map((k) => k.text),
    directives: b.directives.map(shape),
  }));

/** Asserts a CorefileError at `file:line` whose detail matches. */
function assertError(run: () => unknown, line: number, detail: RegExp | string, file = 'Corefile'): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof CorefileError, `not a CorefileError: ${String(error)}`);
    assert.equal(error.file, file);
    assert.equal(error.line, line);
    if (typeof detail === 'string') assert.equal(error.detail, detail);
    else assert.match(error.detail, detail);
    assert.equal(error.message, `${file}:${line} - Error during parsing: ${error.detail}`);
    return true;
  });
}

describe('parseCorefile: server blocks', () => {
  it('reads several keys separated by spaces or commas, across lines after a comma', () => {
    assert.deepEqual(blocks('a.org b.org {\n}\nc.org, d.org,\n  e.org {\n}\n'), [
      { keys: ['a.org', 'b.org'], directives: [] },
      { keys: ['c.org', 'd.org', 'e.org'], directives: [] },
    ]);
  });

  it('keeps key tokens with their lines', () => {
    const [block] = parse('\n\nexample.org:1053 {\n}').blocks;
    assert.deepEqual(block?.keys, [{ text: 'example.org:1053', file: 'Corefile', line: 3, quoted: false }]);
  });

  it('rejects a comma followed by the block', () => {
    assertError(
      () => parse('a.org, {\n}'),
      1,
      "Expected another address but had '{' - check for extra comma",
    );
  });

  it('rejects a comma at the end of the file', () => {
    assertError(() => parse('a.org,'), 1, 'Unexpected EOF');
  });

  it('accepts a block with only keys, and the single-server form without braces', () => {
    assert.deepEqual(blocks('example.org'), [{ keys: ['example.org'], directives: [] }]);
    assert.deepEqual(blocks('example.org\nlog\nerrors stdout'), [
      {
        keys: ['example.org'],
        directives: [
          ['log', [], []],
          ['errors', ['stdout'], []],
        ],
      },
    ]);
  });

  it('reports an unclosed block', () => {
    assertError(
      () => parse('. {\n  log\n'),
      2,
      "Unexpected EOF, expecting '}' to close the block opened on line 1",
    );
  });

  it('reports a stray closing brace', () => {
    assertError(() => parse('. {\n}\n}'), 3, "Unexpected '}' because no matching opening brace");
    assertError(() => parse('.\nlog\n}'), 3, "Unexpected '}' because no matching opening brace");
  });

  it('reports a block without a key', () => {
    assertError(() => parse('{\n log\n}'), 1, "Expected a server block key before '{'");
  });
});

describe('parseCorefile: directives', () => {
  it('builds directive trees with arguments and nested blocks', () => {
    const text = [
      '.:53 {',
      '  kubernetes cluster.local in-addr.arpa {',
      '    pods insecure',
      '    fallthrough in-addr.arpa',
      '  }',
      '  forward . 1.1.1.1',
      '  outer {',
      '    inner a {',
      '      leaf 1 2',
      '    }',
      '  }',
      '}',
    ].join('\n');
    assert.deepEqual(blocks(text)[0]?.directives, [
      [
        'kubernetes',
        ['cluster.local', 'in-addr.arpa'],
        [
          ['pods', ['insecure'], []],
          ['fallthrough', ['in-addr.arpa'], []],
        ],
      ],
      ['forward', ['.', '1.1.1.1'], []],
      ['outer', [], [['inner', ['a'], [['leaf', ['1', '2'], []]]]]],
    ]);
  });

  it('opens a block with a { on the next line, as Caddy does', () => {
    assert.deepEqual(blocks('. {\nhealth\n{\nlameduck 5s\n}\n}')[0]?.directives, [
      ['health', [], [['lameduck', ['5s'], []]]],
    ]);
  });

  it('splits a one-line inner block at its closing brace', () => {
    assert.deepEqual(blocks('. {\n file db { transfer to 10.0.0.1 }\n log\n}')[0]?.directives, [
      ['file', ['db'], [['transfer', ['to', '10.0.0.1'], []]]],
      ['log', [], []],
    ]);
  });

  it('treats a quoted brace as an argument, not a block', () => {
    const [directive] = parse('. {\n template "{" "}"\n}').blocks[0]?.directives ?? [];
    assert.deepEqual(
      directive?.args.map((a) => [a.text, a.quoted]),
      [
        ['{', true],
        ['}', true],
      ],
    );
    assert.deepEqual(directive?.block, []);
  });

  it('records the line of every token, including nested ones', () => {
    const [directive] = parse('. {\n  cache 30 {\n    success 5000\n  }\n}').blocks[0]?.directives ?? [];
    assert.equal(directive?.name.line, 2);
    assert.equal(directive?.args[0]?.line, 2);
    assert.equal(directive?.block[0]?.name.line, 3);
    assert.equal(directive?.block[0]?.args[0]?.line, 3);
  });

  it("rejects a directive line ending in the server block's brace (a one-line block)", () => {
    assertError(
      () => parse('. { root /etc/coredns/zones }'),
      1,
      "Unexpected '}' because no matching opening brace",
    );
  });

  it('rejects words after a closing brace on the same line', () => {
    assertError(
      () => parse('. {\n forward . 1.1.1.1 { max_fails 1 } extra\n}'),
      2,
      "Unexpected 'extra' after '}', expecting a new line",
    );
  });

  it('reports an unclosed directive block at the end of the file', () => {
    assertError(() => parse('. {\n cache {\n  success 10\n'), 3, 'Unexpected EOF');
  });

  it('rejects a block with no directive name', () => {
    assertError(() => parse('. {\n{\n}\n}'), 2, "Unexpected '{', expecting a directive name");
    assertError(() => parse('. {\n a {\n  {\n  }\n }\n}'), 3, "Unexpected '{', expecting a name before it");
  });
});

describe('parseCorefile: environment', () => {
  const env = { ZONE: 'Example.org', PORT: '1053', UP: '9.9.9.9', WIN: 'w', NAME: 'log', LOOP: '{$LOOP}' };

  it('substitutes {$VAR} and {%VAR%} in keys and arguments, and unset variables become empty', () => {
    const text = '{$ZONE}:{$PORT} {\n forward . {$UP} {%WIN%}x{$UNSET}y\n}';
    assert.deepEqual(blocks(text, { env }), [
      { keys: ['Example.org:1053'], directives: [['forward', ['.', '9.9.9.9', 'wxy'], []]] },
    ]);
  });

  it('substitutes in directive names, in nested blocks and inside quotes', () => {
    assert.deepEqual(blocks('. {\n {$NAME} {\n  x "{$UP} q"\n }\n}', { env })[0]?.directives, [
      ['log', [], [['x', ['9.9.9.9 q'], []]]],
    ]);
  });

  it('does not expand a value a second time', () => {
    assert.deepEqual(blocks('. {\n log {$LOOP}\n}', { env })[0]?.directives, [['log', ['{$LOOP}'], []]]);
  });

  it('drops a key that is empty after substitution', () => {
    assert.deepEqual(blocks('{$UNSET} b.org {\n}', { env })[0]?.keys, ['b.org']);
  });

  it('reports a directive name that substitution empties', () => {
    assertError(
      () => parse('. {\n{$NOPE}\n}', { env }),
      2,
      "Directive name '{$NOPE}' is empty after environment substitution",
    );
  });

  it('reads process.env when no env is given', () => {
    const name = `DNSKIT_PARSER_TEST_${process.pid}`;
    process.env[name] = 'from-process';
    try {
      const [block] = parseCorefile(`. {\n log {$${name}}\n}`).blocks;
      assert.equal(block?.directives[0]?.args[0]?.text, 'from-process');
    } finally {
      delete process.env[name];
    }
  });
});

describe('parseCorefile: snippets', () => {
  it('defines snippets without making server blocks, and expands them where imported', () => {
    const text = '(common) {\n  errors\n  log\n}\n. {\n  import common\n  cache\n}';
    const [block, ...rest] = parse(text).blocks;
    assert.equal(rest.length, 0);
    assert.deepEqual(block?.directives.map(shape), [
      ['errors', [], []],
      ['log', [], []],
      ['cache', [], []],
    ]);
    // Snippet lines keep the location where the snippet was written.
    assert.equal(block?.directives[0]?.name.line, 2);
  });

  it('expands snippets inside directive blocks and at the top level', () => {
    const text =
      '(opts) {\n  pods insecure\n}\n(site) {\n  b.org {\n    log\n  }\n}\n. {\n  kubernetes {\n    import opts\n  }\n}\nimport site';
    assert.deepEqual(blocks(text), [
      { keys: ['.'], directives: [['kubernetes', [], [['pods', ['insecure'], []]]]] },
      { keys: ['b.org'], directives: [['log', [], []]] },
    ]);
  });

  it('rejects a snippet declared twice', () => {
    assertError(() => parse('(a) {\n}\n(a) {\n}'), 3, 'redeclaration of previously declared snippet a');
  });

  it('requires braces around a snippet body, and a closing one', () => {
    assertError(() => parse('(a)\nlog'), 2, "Syntax error: Unexpected token 'log', expecting '{'");
    assertError(() => parse('(a) {\n log\n'), 2, "Unexpected EOF, expecting '}' to close snippet (a)");
  });

  it('checks import arguments', () => {
    assertError(
      () => parse('. {\n import\n}'),
      2,
      "Wrong argument count or unexpected line ending after 'import'",
    );
    assertError(
      () => parse('. {\n import a b\n}'),
      2,
      'Import takes only one argument (glob pattern or file)',
    );
    assertError(() => parse('. {\n import {$UNSET}\n}'), 2, 'Import requires a non-empty filepath');
  });

  it('treats a snippet used before its definition as a file name', () => {
    const readFile = () => {
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    };
    assertError(
      () => parse('. {\n import later\n}\n(later) {\n log\n}', { readFile }),
      2,
      'File to import not found: later',
    );
  });

  it('detects snippets that import each other', () => {
    assertError(
      () => parse('(a) {\n import b\n}\n(b) {\n import a\n}\n. {\n import a\n}'),
      5,
      'Import cycle detected: Corefile -> (a) -> (b) -> (a)',
    );
  });
});
