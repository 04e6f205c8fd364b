import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createServer } from '../core/server.js';
import type { Plugin } from '../core/types.js';
import { createRegistry, type Registry } from '../registry/registry.js';
import { query } from '../testing/query.js';
import { type LoadOptions, loadCorefile } from './build.js';
import { CorefileError } from './errors.js';
import type { DirectiveTokens, PluginDefinition, ServerBlockInfo } from './types.js';

interface Call {
  readonly name: string;
  readonly args: string[];
  readonly info: ServerBlockInfo;
}

/** A definition that records what `parse` saw and builds a pass-through plugin. */
function recorder(name: string, calls: Call[], extra: { once?: boolean } = {}): PluginDefinition<string[]> {
  return {
    name,
    ...extra,
    parse: (d: DirectiveTokens) => {
      const args = d.args.map((a) => a.text);
      calls.push({ name, args, info: d.serverBlock });
      return args;
    },
    create: (args): Plugin => ({
      name: args.length > 0 ? `${name}(${args.join(' ')})` : name,
      handle: (_ctx, next) => next(),
    }),
  };
}

function registryOf(names: readonly string[], calls: Call[] = [], once: readonly string[] = []): Registry {
  return createRegistry(names.map((n) => recorder(n, calls, { once: once.includes(n) })));
}

const chains = (text: string, options: LoadOptions) =>
  loadCorefile(text, { env: {}, ...options }).blocks.map((b) => ({
    zones: b.zones,
    port: b.port,
    plugins: b.plugins.map((p) => p.name),
  }));

function assertLoadError(
  text: string,
  options: LoadOptions,
  line: number,
  detail: string,
  file = 'Corefile',
): void {
  assert.throws(
    () => loadCorefile(text, { env: {}, ...options }),
    (error: unknown) => {
      assert.ok(error instanceof CorefileError, String(error));
      assert.deepEqual([error.file, error.line, error.detail], [file, line, detail]);
      assert.equal(error.message, `${file}:${line} - Error during parsing: ${detail}`);
      return true;
    },
  );
}

const basic = ['errors', 'log', 'cache', 'forward', 'bind'];

describe('loadCorefile: chains', () => {
  it('orders directives by the registry, not by the file, keeping repeated lines in file order', () => {
    const text = '. {\n  forward . 1.1.1.1\n  log b\n  cache\n  errors\n  log a\n}';
    assert.deepEqual(chains(text, { registry: registryOf(basic) }), [
      { zones: ['.'], port: 53, plugins: ['errors', 'log(b)', 'log(a)', 'cache', 'forward(. 1.1.1.1)'] },
    ]);
  });

  it('puts a third-party directive where the registry places it', () => {
    const registry = registryOf(basic);
    registry.register(recorder('early', []), { before: 'errors' });
    registry.register(recorder('late', []));
    const text = '. {\n  late\n  forward .\n  early\n  log\n}';
    assert.deepEqual(chains(text, { registry })[0]?.plugins, ['early', 'log', 'forward(.)', 'late']);
  });

  it('runs the built chain in that order through createServer', async () => {
    const trail: string[] = [];
    const step = (name: string): PluginDefinition<null> => ({
      name,
      parse: () => null,
      create: () => ({
        name,
        handle: (_ctx, next) => {
          trail.push(name);
          return next();
        },
      }),
    });
    const answer: PluginDefinition<string> = {
      name: 'answer',
      parse: (d) => {
        if (d.args.length !== 1) throw d.argError();
        return (d.args[0] as { text: string }).text;
      },
      create: (text) => ({
        name: 'answer',
        handle: (ctx) => {
          const data = [`${text}:${trail.join(',')}`];
          ctx.reply({ answers: [{ name: ctx.question.name, type: 'TXT', class: 'IN', ttl: 0, data }] });
        },
      }),
    };
    const registry = createRegistry([step('log'), step('errors'), answer]);
    const { blocks } = loadCorefile('example.org:0 {\n  answer hello\n  log\n  errors\n}', {
      registry,
      env: {},
    });
    const server = createServer({ blocks });
    try {
      const response = await server.exchange(query('www.example.org.', 'TXT'));
      assert.deepEqual(response.answers[0]?.data, ['hello:errors,log']);
    } finally {
      await server.close();
    }
  });

  it('gives each directive its server block: normalised zones, port and transport', () => {
    const calls: Call[] = [];
    loadCorefile('Example.ORG 10.0.0.0/15:53 {\n  log\n}', { registry: registryOf(basic, calls), env: {} });
    assert.deepEqual(calls[0]?.info, {
      zones: ['example.org.', '0.10.in-addr.arpa.', '1.10.in-addr.arpa.'],
      port: 53,
      transport: 'dns',
    });
  });

  it('makes one entry per port when a block lists keys on several ports', () => {
    const calls: Call[] = [];
    const result = chains('a.org b.org:1053 c.org {\n  log\n}', { registry: registryOf(basic, calls) });
    assert.deepEqual(result, [
      { zones: ['a.org.', 'c.org.'], port: 53, plugins: ['log'] },
      { zones: ['b.org.'], port: 1053, plugins: ['log'] },
    ]);
    assert.deepEqual(
      calls.map((c) => c.info.port),
      [53, 1053],
    );
  });

  it('uses defaultPort for keys without a port', () => {
    assert.deepEqual(
      chains('. {\n}\na.org:54 {\n}', { registry: registryOf(basic), defaultPort: 1053 }).map((b) => b.port),
      [1053, 54],
    );
  });

  it('keeps blocks on one port as separate entries (createServer shares the listener)', () => {
    assert.deepEqual(chains('a.org {\n log\n}\nb.org {\n errors\n}', { registry: registryOf(basic) }), [
      { zones: ['a.org.'], port: 53, plugins: ['log'] },
      { zones: ['b.org.'], port: 53, plugins: ['errors'] },
    ]);
  });
});

describe('loadCorefile: directive errors', () => {
  const registry = registryOf(basic, [], ['cache']);

  it("rejects an unknown directive with CoreDNS's message", () => {
    assertLoadError('. {\n  log\n  impor logerrors\n}', { registry }, 3, "Unknown directive 'impor'");
  });

  it('rejects a CoreDNS directive that dnskit does not implement yet', () => {
    assertLoadError(
      '. {\n  kubernetes cluster.local\n}',
      { registry },
      2,
      "dnskit does not support the 'kubernetes' directive yet",
    );
  });

  it('reports the first bad directive in file order, before later syntax errors', () => {
    assertLoadError('. {\n  bogus\n}\nb.org {\n  log', { registry }, 2, "Unknown directive 'bogus'");
  });

  it('checks directives in snippets only where they are imported, at the snippet line', () => {
    const text = '(unused) {\n  nonsense\n}\n(bad) {\n  log\n  wrong\n}\n. {\n  import bad\n}';
    assertLoadError(text, { registry }, 6, "Unknown directive 'wrong'");
    assert.equal(chains('(unused) {\n  nonsense\n}\n. {\n  log\n}', { registry }).length, 1);
  });

  it('rejects a once-only directive repeated in a block, at the repeat', () => {
    assertLoadError(
      '. {\n  cache 10\n  log\n  cache 20\n}',
      { registry },
      4,
      'plugin/cache: this plugin can only be used once per Server Block',
    );
    assert.equal(chains('a.org {\n cache\n}\nb.org {\n cache\n}', { registry }).length, 2);
  });

  it('combines the lines of a directive into one plugin when the definition says so', () => {
    const calls: Call[] = [];
    const merged: PluginDefinition<string[]> = {
      ...recorder('log', calls),
      combine: (lines) => lines.flat(),
    };
    const combining = createRegistry([merged, recorder('errors', calls)]);
    const text = '. {\n  log a.org\n  errors\n  log b.org c.org\n}';
    assert.deepEqual(chains(text, { registry: combining })[0]?.plugins, ['errors', 'log(a.org b.org c.org)']);
    // Without combine, each line is its own plugin, in file order.
    assert.deepEqual(chains(text, { registry })[0]?.plugins, ['errors', 'log(a.org)', 'log(b.org c.org)']);
  });

  it('passes located errors from a definition through, at the token it names', () => {
    const strict: PluginDefinition<null> = {
      name: 'strict',
      parse: (d) => {
        const bad = d.block[0]?.block[0]?.args[0];
        if (bad !== undefined) throw d.error(`bad value '${bad.text}'`, bad);
        throw d.argError();
      },
      create: () => ({ name: 'strict', handle: () => {} }),
    };
    const options = { registry: createRegistry([strict]), file: 'conf/Corefile' };
    assertLoadError(
      '. {\n strict {\n  outer {\n   inner 42\n  }\n }\n}',
      options,
      4,
      "bad value '42'",
      'conf/Corefile',
    );
    assertLoadError(
      '. {\n strict a b\n}',
      options,
      2,
      "Wrong argument count or unexpected line ending after 'b'",
      'conf/Corefile',
    );
    assertLoadError(
      '. {\n strict\n}',
      options,
      2,
      "Wrong argument count or unexpected line ending after 'strict'",
      'conf/Corefile',
    );
  });

  it('locates plain errors thrown by parse or create at the directive, prefixed with plugin/NAME', () => {
    const failing = (where: 'parse' | 'create'): PluginDefinition<null> => ({
      name: `fail-${where}`,
      parse: () => {
        if (where === 'parse') throw new Error('cannot parse');
        return null;
      },
      create: () => {
        throw new TypeError('cannot create');
      },
    });
    const options = { registry: createRegistry([failing('parse'), failing('create')]) };
    assertLoadError('. {\n\n fail-parse\n}', options, 3, 'plugin/fail-parse: cannot parse');
    assertLoadError('. {\n fail-create x\n}', options, 2, 'plugin/fail-create: cannot create');
  });
});

describe('loadCorefile: keys', () => {
  const registry = registryOf(basic);

  it('rejects transports dnskit does not serve yet, at the key', () => {
    const detail =
      "transport 'tls://' of 'tls://example.org' is not supported by dnskit yet; only dns:// is served";
    assertLoadError('. {\n}\n\ntls://example.org {\n}', { registry }, 4, detail);
    assertLoadError(
      'grpc://a.org:8443 {\n}',
      { registry },
      1,
      "transport 'grpc://' of 'grpc://a.org:8443' is not supported by dnskit yet; only dns:// is served",
    );
  });

  it('rejects unknown schemes and malformed keys, at the key', () => {
    assertLoadError(
      'a.org,\n  foo://b.org {\n}',
      { registry },
      2,
      "unknown transport 'foo://' in 'foo://b.org'; known transports: dns://, tls://, quic://, grpc://, https://, https3://",
    );
    assertLoadError('a..org {\n}', { registry }, 1, 'zone is not a valid domain name: a..org');
  });

  it("refuses a zone defined twice on one port, with CoreDNS's wording", () => {
    assertLoadError('. {\n}\n.:53 {\n}', { registry }, 3, 'cannot serve dns://.:53 - it is already defined');
    assertLoadError(
      'a.org A.ORG. {\n}',
      { registry },
      1,
      'cannot serve dns://a.org.:53 - it is already defined',
    );
    assertLoadError(
      '10.0.0.0/8 {\n}\n10.in-addr.arpa {\n}',
      { registry },
      3,
      'cannot serve dns://10.in-addr.arpa.:53 - it is already defined',
    );
    assert.equal(chains('a.org {\n}\na.org:1053 {\n}', { registry }).length, 2);
  });

  it('allows one zone on one port on different bind addresses, but not overlapping ones', () => {
    const bound = (address: string) => `a.org {\n  bind ${address}\n}\n`;
    assert.equal(chains(bound('127.0.0.1') + bound('127.0.0.2'), { registry }).length, 2);
    assertLoadError(
      bound('127.0.0.1') + bound('127.0.0.1'),
      { registry },
      4,
      'cannot serve dns://a.org.:53 on 127.0.0.1 - it is already defined',
    );
    assertLoadError(
      `a.org {\n}\n${bound('::1')}`,
      { registry },
      3,
      'cannot serve dns://a.org.:53 on ::1 - zone overlap listener capacity with dns://a.org.:53',
    );
    assertLoadError(
      `${bound('::1')}a.org {\n}`,
      { registry },
      4,
      'cannot serve dns://a.org.:53 - zone overlap listener capacity with dns://a.org.:53 on ::1',
    );
  });
});
