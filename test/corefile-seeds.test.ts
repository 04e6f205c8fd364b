import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CorefileError, loadCorefile, parseCorefile } from '../src/corefile/index.js';
import type { PluginDefinition } from '../src/corefile/types.js';
import { createRegistry } from '../src/registry/index.js';

// Corefiles copied verbatim from the seed notes the project started from:
// seed000-* from 000_f5378c7cac2240ab.txt, seed003-* from 003_5ea9d297403e93ac.txt. The other
// seed notes hold no Corefile. The one-line ones were collapsed that way in the note itself.
const fixtures = new URL('./fixtures/corefiles/', import.meta.url);

/** What a fixture must do: parse (and then load, or fail to load), or fail to parse. */
type Expectation =
  | {
      readonly parses: true;
      readonly keys: string[][];
      readonly chains?: string[][];
      readonly loadError?: Located;
    }
  | { readonly parses: false; readonly parseError: Located; readonly loadError?: Located };

/** An expected error: the line that holds `at`, and the detail. */
interface Located {
  readonly at: string;
  readonly detail: string;
}

const oneLineBlock: Expectation = {
  parses: false,
  parseError: { at: '{', detail: "Unexpected '}' because no matching opening brace" },
};

const expectations: Record<string, Expectation> = {
  'seed000-kubernetes.Corefile': {
    parses: true,
    keys: [['.:53']],
    chains: [
      [
        'reload',
        'ready',
        'health',
        'prometheus',
        'errors',
        'log',
        'loadbalance',
        'cache',
        'kubernetes',
        'loop',
        'forward',
      ],
    ],
  },
  'seed003-syntax-template.Corefile': {
    parses: false,
    parseError: {
      at: '{$env_var}',
      detail: "Directive name '{$env_var}' is empty after environment substitution",
    },
    // With a registry, the template's first line is already an unknown directive.
    loadError: { at: '<statement...>', detail: "Unknown directive '<statement...>'" },
  },
  'seed003-server-blocks.Corefile': {
    parses: true,
    keys: [['foo.example'], ['.'], ['foo.example:1053'], ['tsl://foo.example'], ['grpc://bar.example']],
    loadError: {
      at: 'tsl://',
      detail:
        "unknown transport 'tsl://' in 'tsl://foo.example'; known transports: dns://, tls://, quic://, grpc://, https://, https3://",
    },
  },
  'seed003-root-one-line.Corefile': oneLineBlock,
  'seed003-file-one-line.Corefile': oneLineBlock,
  'seed003-forward-one-line.Corefile': oneLineBlock,
  'seed003-cache-one-line.Corefile': oneLineBlock,
  'seed003-errors-one-line.Corefile': oneLineBlock,
  'seed003-caching-server.Corefile': {
    parses: true,
    keys: [['.']],
    chains: [['errors', 'log', 'cache', 'forward']],
  },
  'seed003-primary-server.Corefile': {
    parses: true,
    keys: [['foo.example'], ['.']],
    chains: [
      ['root', 'errors', 'log', 'file'],
      ['errors', 'log', 'cache', 'forward'],
    ],
  },
  'seed003-secondary-server.Corefile': {
    parses: true,
    keys: [['bar.exmple'], ['foo.example'], ['.']],
    loadError: { at: 'impor ', detail: "Unknown directive 'impor'" },
  },
  'seed003-practice.Corefile': { parses: true, keys: [['foo.example']], chains: [['file']] },
  // NodeLocal DNSCache's ConfigMap (kubernetes/kubernetes cluster/addons/dns/nodelocaldns), with
  // its __PILLAR__ placeholders; test/seed-corefiles.test.ts fills them in and serves it.
  'nodelocaldns.Corefile': {
    parses: true,
    keys: [['__PILLAR__DNS__DOMAIN__:53'], ['in-addr.arpa:53'], ['ip6.arpa:53'], ['.:53']],
    chains: [
      ['reload', 'bind', 'health', 'prometheus', 'errors', 'cache', 'loop', 'forward'],
      ...Array.from({ length: 3 }, () => [
        'reload',
        'bind',
        'prometheus',
        'errors',
        'cache',
        'loop',
        'forward',
      ]),
    ],
  },
};

/** Every directive the seeds use, as a definition that accepts anything. */
const seedDirectives = [
  'root',
  'reload',
  'bind',
  'ready',
  'health',
  'prometheus',
  'errors',
  'log',
  'loadbalance',
  'cache',
  'transfer',
  'kubernetes',
  'file',
  'loop',
  'forward',
];
const lenient = (name: string): PluginDefinition<number> => ({
  name,
  parse: (d) => d.args.length,
  create: () => ({ name, handle: (_ctx, next) => next() }),
});

function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `fixture has no line with ${needle}`);
  return index + 1;
}

function assertLocated(run: () => unknown, file: string, text: string, expected: Located): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof CorefileError, String(error));
    assert.deepEqual(
      [error.file, error.line, error.detail],
      [file, lineOf(text, expected.at), expected.detail],
    );
    return true;
  });
}

describe('Corefiles from the seed notes', () => {
  const files = readdirSync(fixtures).filter((f) => f.endsWith('.Corefile'));

  it('has an expectation for every fixture, and a fixture for every expectation', () => {
    assert.deepEqual(files.sort(), Object.keys(expectations).sort());
  });

  for (const file of files) {
    const text = readFileSync(new URL(file, fixtures), 'utf8');
    const expected = expectations[file];
    const options = { file, env: {}, registry: createRegistry(seedDirectives.map(lenient)) };
    if (expected === undefined) continue;
    if (!expected.parses) {
      it(`${file} fails to parse with a located error, from parseCorefile and loadCorefile`, () => {
        assertLocated(() => parseCorefile(text, options), file, text, expected.parseError);
        assertLocated(
          () => loadCorefile(text, options),
          file,
          text,
          expected.loadError ?? expected.parseError,
        );
      });
      continue;
    }
    it(`${file} parses into its server blocks`, () => {
      const { blocks } = parseCorefile(text, options);
      assert.deepEqual(
        blocks.map((b) => b.keys.map((k) => k.text)),
        expected.keys,
      );
    });
    const { chains, loadError } = expected;
    if (loadError !== undefined) {
      it(`${file} fails to load with a located error`, () => {
        assertLocated(() => loadCorefile(text, options), file, text, loadError);
      });
    }
    if (chains !== undefined) {
      it(`${file} loads, each block's chain in CoreDNS's order`, () => {
        const { blocks } = loadCorefile(text, options);
        assert.deepEqual(
          blocks.map((b) => b.plugins.map((p) => p.name)),
          chains,
        );
      });
    }
  }

  it('reports what dnskit lacks when the kubernetes Corefile meets a registry without it', () => {
    const file = 'seed000-kubernetes.Corefile';
    const text = readFileSync(new URL(file, fixtures), 'utf8');
    const registry = createRegistry(seedDirectives.filter((n) => n !== 'kubernetes').map(lenient));
    assertLocated(() => loadCorefile(text, { file, env: {}, registry }), file, text, {
      at: 'kubernetes',
      detail: "dnskit does not support the 'kubernetes' directive yet",
    });
  });
});
