import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createServer } from '../../core/server.js';
import type { DnsContext, Plugin } from '../../core/types.js';
import { directiveFrom, makeQuery, parseError, recordingLogger } from '../../plugin-kit/test-helpers.js';
import type { Rcode } from '../../wire/types.js';
import { type ErrorsOptions, type ErrorsTimers, errors, errorsDefinition } from './index.js';

/** Timers that only fire when told to, so consolidation is tested without sleeping. */
function fakeTimers(): ErrorsTimers & {
  pending: Map<number, { callback: () => void; ms: number }>;
  fireAll(): void;
} {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let nextId = 1;
  return {
    pending,
    set(callback, ms) {
      const id = nextId++;
      pending.set(id, { callback, ms });
      return id;
    },
    clear(handle) {
      pending.delete(handle as number);
    },
    fireAll() {
      const due = [...pending.values()];
      pending.clear();
      for (const timer of due) timer.callback();
    },
  };
}

/** Fails with `ctx.fail(rcode, reason)` when the reason is a string; throws it when it is an Error. */
function failing(rcode: Rcode, reason: string | Error): Plugin {
  return {
    name: 'failing',
    handle(ctx: DnsContext) {
      if (reason instanceof Error) throw reason;
      ctx.fail(rcode, reason);
    },
  };
}

const ok: Plugin = { name: 'ok', handle: (ctx) => ctx.reply({}) };

function errorLines(lines: readonly string[]): string[] {
  return lines.filter((line) => line.includes('plugin/errors: '));
}

describe('errors setup', () => {
  const parse = (text: string) => errorsDefinition.parse(directiveFrom(text));

  it('is allowed once per server block', () => {
    assert.equal(errorsDefinition.once, true);
  });

  it('reads the bare form, stdout, stacktrace and consolidate lines', () => {
    assert.deepEqual(parse('errors'), { consolidate: [], stacktrace: false });
    assert.deepEqual(parse('errors stdout'), { consolidate: [], stacktrace: false });
    const options = parse(
      'errors {\n  stacktrace\n  consolidate 5m ".* i/o timeout$" warning\n  consolidate 30s "^Failed to .+" show_first\n}',
    );
    assert.equal(options.stacktrace, true);
    const [first, second] = options.consolidate ?? [];
    assert.equal(first?.periodMs, 300_000);
    assert.equal(first?.pattern, '.* i/o timeout$');
    assert.equal(first?.level, 'warning');
    assert.equal(first?.showFirst, false);
    assert.equal(second?.periodMs, 30_000);
    assert.equal(second?.level, undefined);
    assert.equal(second?.showFirst, true);
  });

  it('reports every bad form at its line', () => {
    const cases: [string, number, RegExp][] = [
      ['errors file.log', 2, /^invalid log file: file\.log$/],
      ['errors stdout extra', 2, /after 'extra'/],
      ['errors {\n  consolidate 1m\n}', 3, /after 'consolidate'/],
      ['errors {\n  consolidate 1m a error show_first more\n}', 3, /after 'more'/],
      ['errors {\n  consolidate 1x ^a\n}', 3, /^time: invalid duration "1x"$/],
      ['errors {\n  consolidate 1m (\n}', 3, /Invalid regular expression/],
      ['errors {\n  consolidate 1m ^a loud\n}', 3, /^unknown log level argument in consolidate: loud$/],
      [
        'errors {\n  consolidate 1m ^a show_first error\n}',
        3,
        /^unknown log level argument in consolidate: show_first$/,
      ],
      ['errors {\n\n  stacktrace on\n}', 4, /after 'on'/],
      ['errors {\n  bogus\n}', 3, /^unknown property 'bogus'$/],
    ];
    for (const [text, line, detail] of cases) {
      const error = parseError(() => parse(text));
      assert.equal(error.line, line, text);
      assert.match(error.detail, detail, text);
    }
  });

  it('rejects a REGEXP longer than 10000 characters', () => {
    const error = parseError(() => parse(`errors {\n  consolidate 1m ${'a'.repeat(10_001)}\n}`));
    assert.equal(error.line, 3);
  });
});

describe('errors', () => {
  async function run(options: ErrorsOptions, inner: Plugin, names: readonly string[] = ['example.org.']) {
    const { logger, lines } = recordingLogger();
    const server = createServer({ logger, plugins: [errors(options), inner] });
    const rcodes: string[] = [];
    try {
      for (const name of names) rcodes.push((await server.exchange(makeQuery(name))).rcode);
    } finally {
      await server.close();
    }
    return { lines, rcodes };
  }

  it('logs a failure given to ctx.fail in CoreDNS shape', async () => {
    const { lines, rcodes } = await run({}, failing('SERVFAIL', 'upstream timed out'));
    assert.deepEqual(rcodes, ['SERVFAIL']);
    assert.deepEqual(errorLines(lines), ['[ERROR] plugin/errors: 2 example.org. A: upstream timed out']);
  });

  it('logs the rcode the failing plugin chose', async () => {
    const { lines } = await run({}, failing('REFUSED', 'not allowed'));
    assert.deepEqual(errorLines(lines), ['[ERROR] plugin/errors: 5 example.org. A: not allowed']);
  });

  it('logs a thrown error as SERVFAIL and lets the server answer SERVFAIL', async () => {
    const { lines, rcodes } = await run({}, failing('SERVFAIL', new Error('boom')));
    assert.deepEqual(rcodes, ['SERVFAIL']);
    assert.deepEqual(errorLines(lines), ['[ERROR] plugin/errors: 2 example.org. A: boom']);
  });

  it('adds the stack of thrown errors with stacktrace', async () => {
    const { lines } = await run({ stacktrace: true }, failing('SERVFAIL', new Error('boom')));
    const [line] = errorLines(lines);
    assert.match(line ?? '', /^\[ERROR\] plugin\/errors: 2 example\.org\. A: boom\nError: boom\n\s+at /);
  });

  it('stays quiet when nothing failed', async () => {
    const { lines } = await run({}, ok);
    assert.deepEqual(lines, []);
  });

  it('consolidates matching errors into one summary per period', async () => {
    const timers = fakeTimers();
    const rule = { periodMs: 30_000, pattern: '^upstream', level: 'warning' as const };
    const { logger, lines } = recordingLogger();
    const plugin = errors({ consolidate: [rule], timers });
    const server = createServer({ logger, plugins: [plugin, failing('SERVFAIL', 'upstream timed out')] });
    try {
      for (let i = 0; i < 3; i++) await server.exchange(makeQuery('example.org.'));
      assert.deepEqual(errorLines(lines), []);
      assert.deepEqual(
        [...timers.pending.values()].map((timer) => timer.ms),
        [30_000],
      );
      timers.fireAll();
      assert.deepEqual(errorLines(lines), [
        "[WARNING] plugin/errors: 3 errors like '^upstream' occurred in last 30s",
      ]);
      await server.exchange(makeQuery('example.org.'));
      assert.equal(timers.pending.size, 1, 'a new period starts with the next error');
    } finally {
      await server.close();
    }
    // Stopping writes what the open period collected.
    assert.equal(
      errorLines(lines)[1],
      "[WARNING] plugin/errors: 1 errors like '^upstream' occurred in last 30s",
    );
    assert.equal(timers.pending.size, 0);
  });

  it('logs errors that match no rule at once, and uses the first matching rule', async () => {
    const timers = fakeTimers();
    const consolidate = [
      { periodMs: 1000, pattern: /time/ },
      { periodMs: 5 * 60_000, pattern: /timed out/, level: 'info' as const },
    ];
    const { logger, lines } = recordingLogger();
    const server = createServer({
      logger,
      plugins: [
        errors({ consolidate, timers }),
        {
          name: 'mixed',
          handle: (ctx) => ctx.fail('SERVFAIL', ctx.question.name === 'a.' ? 'timed out' : 'other'),
        },
      ],
    });
    try {
      await server.exchange(makeQuery('a.'));
      await server.exchange(makeQuery('b.'));
      assert.deepEqual(errorLines(lines), ['[ERROR] plugin/errors: 2 b. A: other']);
      timers.fireAll();
      assert.equal(errorLines(lines)[1], "[ERROR] plugin/errors: 1 errors like 'time' occurred in last 1s");
    } finally {
      await server.close();
    }
  });

  it('with show_first writes the first error at once and a summary only for more', async () => {
    const timers = fakeTimers();
    const rule = { periodMs: 120_000, pattern: 'x', level: 'info' as const, showFirst: true };
    const { logger, lines } = recordingLogger();
    const server = createServer({
      logger,
      plugins: [errors({ consolidate: [rule], timers }), failing('SERVFAIL', 'x')],
    });
    try {
      await server.exchange(makeQuery('example.org.'));
      assert.deepEqual(errorLines(lines), ['[INFO] plugin/errors: 2 example.org. A: x']);
      timers.fireAll();
      assert.equal(errorLines(lines).length, 1, 'a lone error gets no summary');
      await server.exchange(makeQuery('example.org.'));
      await server.exchange(makeQuery('example.org.'));
      timers.fireAll();
      assert.deepEqual(errorLines(lines).slice(1), [
        '[INFO] plugin/errors: 2 example.org. A: x',
        "[INFO] plugin/errors: 2 errors like 'x' occurred in last 2m0s",
      ]);
    } finally {
      await server.close();
    }
  });
});
