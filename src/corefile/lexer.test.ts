import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CorefileError } from './errors.js';
import { lex } from './lexer.js';

const texts = (source: string) => lex(source, 'Corefile').map((t) => t.text);

describe('lex', () => {
  it('splits on whitespace and counts lines', () => {
    const tokens = lex('example.org {\n\tlog  stdout\n}\n', 'Corefile');
    assert.deepEqual(
      tokens.map((t) => [t.text, t.line]),
      [
        ['example.org', 1],
        ['{', 1],
        ['log', 2],
        ['stdout', 2],
        ['}', 3],
      ],
    );
    assert.ok(tokens.every((t) => t.file === 'Corefile' && !t.quoted));
  });

  it('skips comments, even one that starts in the middle of a word', () => {
    assert.deepEqual(texts('# whole line\nlog # trailing\nfoo#bar baz\nnext'), ['log', 'foo', 'next']);
  });

  it('groups quoted text, keeps it marked as quoted, and unescapes only \\"', () => {
    const [a, b, c] = lex('"a b" "say \\"hi\\"" "c:\\d"', 'F');
    assert.deepEqual([a?.text, a?.quoted], ['a b', true]);
    assert.equal(b?.text, 'say "hi"');
    assert.equal(c?.text, 'c:\\d');
  });

  it('lets a quoted token span lines and keeps the following line numbers right', () => {
    const tokens = lex('answer "line one\nline two\nline three" after\nnext', 'F');
    assert.deepEqual(
      tokens.map((t) => [t.text, t.line, t.endLine]),
      [
        ['answer', 1, 1],
        ['line one\nline two\nline three', 1, 3],
        ['after', 3, 3],
        ['next', 4, 4],
      ],
    );
  });

  it('treats a # inside quotes as text', () => {
    assert.deepEqual(texts('"a # b" c'), ['a # b', 'c']);
  });

  it('lexes braces as words: standalone ones, attached ones, and quoted ones', () => {
    const tokens = lex('a{ { "{" }', 'F');
    assert.deepEqual(
      tokens.map((t) => [t.text, t.quoted]),
      [
        ['a{', false],
        ['{', false],
        ['{', true],
        ['}', false],
      ],
    );
  });

  it('starts a new token right after a closing quote', () => {
    assert.deepEqual(texts('"a"b'), ['a', 'b']);
  });

  it('drops a byte order mark and ignores carriage returns', () => {
    assert.deepEqual(
      lex('\uFEFFa\r\nb\r\n', 'F').map((t) => [t.text, t.line]),
      [
        ['a', 1],
        ['b', 2],
      ],
    );
  });

  it('reports an unterminated quote at the line where it opened', () => {
    assert.throws(
      () => lex('a\nb "never\nclosed', 'conf/x.Corefile'),
      (error: unknown) =>
        error instanceof CorefileError &&
        error.file === 'conf/x.Corefile' &&
        error.line === 2 &&
        error.message ===
          'conf/x.Corefile:2 - Error during parsing: Unexpected EOF: unterminated quoted string',
    );
  });

  it('returns no tokens for blank or comment-only input', () => {
    assert.deepEqual(lex('  \n# only a comment\n\t', 'F'), []);
  });
});
