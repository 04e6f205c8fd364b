import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createServer } from '../../core/server.js';
import type { DnsContext, ExchangeOptions, Plugin, ReplyInit } from '../../core/types.js';
import { loadCorefile } from '../../corefile/build.js';
import { directiveFrom, makeQuery, parseError, recordingLogger } from '../../plugin-kit/test-helpers.js';
import { createRegistry } from '../../registry/registry.js';
import { encodeMessage } from '../../wire/index.js';
import type { DnsMessage, ResourceRecord } from '../../wire/types.js';
import { builtinPlugins } from '../index.js';
import { whoami } from '../whoami/index.js';
import { type LogOptions, log, logDefinition } from './index.js';
import { parseLog } from './setup.js';

const soa: ResourceRecord = {
  name: 'example.org.',
  type: 'SOA',
  class: 'IN',
  ttl: 300,
  data: {
    mname: 'ns.example.org.',
    rname: 'h.example.org.',
    serial: 1,
    refresh: 1,
    retry: 1,
    expire: 1,
    minimum: 1,
  },
};

function replying(init: ReplyInit, delayMs = 0): Plugin {
  return {
    name: 'fixed',
    async handle(ctx: DnsContext) {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      ctx.reply(init);
    },
  };
}

/** Sends each query through `log(options)` + `answer` and returns the logged lines. */
async function logged(
  options: LogOptions,
  queries: readonly DnsMessage[],
  answer: Plugin = whoami(),
  exchange: ExchangeOptions = {},
): Promise<{ lines: string[]; responses: DnsMessage[] }> {
  const { logger, lines } = recordingLogger();
  const server = createServer({ logger, plugins: [log(options), answer] });
  try {
    const responses: DnsMessage[] = [];
    for (const query of queries) responses.push(await server.exchange(query, exchange));
    return { lines, responses };
  } finally {
    await server.close();
  }
}

describe('log setup', () => {
  const parse = (text: string) => parseLog(directiveFrom(text));

  it('reads NAMES and FORMAT', () => {
    assert.deepEqual(parse('log'), {});
    assert.deepEqual(parse('log example.org'), { names: ['example.org.'] });
    assert.deepEqual(parse('log Example.org. {common}'), { names: ['example.org.'], format: '{common}' });
    assert.deepEqual(parse('log {combined}'), { format: '{combined}' });
    assert.deepEqual(parse('log example.org example.net "{name} {type}"'), {
      names: ['example.org.', 'example.net.'],
      format: '{name} {type}',
    });
  });

  it('reads class and minDuration lines', () => {
    assert.deepEqual(parse('log . {\n  class denial error\n}'), {
      names: ['.'],
      classes: ['denial', 'error'],
    });
    assert.deepEqual(parse('log {\n  class denial\n  class success\n}'), { classes: ['denial', 'success'] });
    assert.deepEqual(parse('log {\n  minDuration\n}'), { minDurationMs: 100 });
    assert.deepEqual(parse('log {\n  class error\n  minDuration 1.5s\n}'), {
      classes: ['error'],
      minDurationMs: 1500,
    });
  });

  it('reports bad block lines at their line', () => {
    const cases: [string, number, RegExp][] = [
      ['log {\n  class abracadabra\n}', 3, /^invalid Class: abracadabra$/],
      ['log {\n  class\n}', 3, /Wrong argument count or unexpected line ending after 'class'/],
      ['log {\n  minDuration 123abc\n}', 3, /^Illegal duration found: '123abc'$/],
      ['log {\n  minDuration 1s 2s\n}', 3, /after '2s'/],
      ['log {\n\n  unknown\n}', 4, /after 'unknown'/],
    ];
    for (const [text, line, detail] of cases) {
      const error = parseError(() => parse(text));
      assert.equal(error.line, line, text);
      assert.match(error.detail, detail, text);
    }
  });
});

describe('log', () => {
  it('writes the Common Log Format through the logger as [INFO]', async () => {
    const query = makeQuery('Example.ORG.', 'A', { id: 29008 });
    const peer = { address: '10.0.0.1', port: 53000, transport: 'udp' } as const;
    const { lines, responses } = await logged({}, [query], whoami(), { peer });
    const size = encodeMessage(query).length;
    const rsize = encodeMessage(responses[0] as DnsMessage).length;
    assert.equal(lines.length, 1);
    const pattern = `^\\[INFO\\] 10\\.0\\.0\\.1:53000 - 29008 "A IN example\\.org\\. udp ${size} false 512" NOERROR qr,aa,rd ${rsize} 0\\.\\d+s$`;
    assert.match(lines[0] ?? '', new RegExp(pattern));
  });

  it('brackets IPv6 peers, reports TCP buffer size and the EDNS DO bit', async () => {
    const query = makeQuery('example.org.', 'AAAA', { edns: { udpPayloadSize: 4096, do: true } });
    const tcp = await logged({ format: '{remote}:{port} {proto} {>do} {>bufsize}' }, [query], whoami(), {
      peer: { address: '::1', port: 5000, transport: 'tcp', family: 'IPv6' },
    });
    assert.deepEqual(tcp.lines, ['[INFO] [::1]:5000 tcp true 65535']);
    const udp = await logged({ format: '{proto} {>bufsize}' }, [query], whoami(), {
      peer: { transport: 'udp' },
    });
    assert.deepEqual(udp.lines, ['[INFO] udp 4096']);
  });

  it('supports custom formats, {combined}, unknown labels and metadata', async () => {
    const query = makeQuery('example.org.', 'MX', { id: 7 });
    const custom = await logged(
      { format: '{proto} Request: {name} {type} {>id} {host} {/meta} { {class} }' },
      [query],
    );
    assert.deepEqual(custom.lines, ['[INFO] udp Request: example.org. MX 7 {host} - { IN }']);
    const combined = await logged({ format: '{combined}' }, [query]);
    assert.match(combined.lines[0] ?? '', / "0"$/);
  });

  it('logs only names at or below NAMES', async () => {
    const queries = ['example.org.', 'www.example.org.', 'example.net.', 'badexample.org.'].map((name) =>
      makeQuery(name),
    );
    const { lines } = await logged({ names: ['example.org'], format: '{name}' }, queries);
    assert.deepEqual(lines, ['[INFO] example.org.', '[INFO] www.example.org.']);
  });

  it('filters by response class', async () => {
    const nxdomain = replying({ rcode: 'NXDOMAIN', authorities: [soa] });
    const denial = await logged(
      { classes: ['denial'], format: '{rcode}' },
      [makeQuery('a.example.org.')],
      nxdomain,
    );
    assert.deepEqual(denial.lines, ['[INFO] NXDOMAIN']);
    const skipped = await logged(
      { classes: ['denial', 'error'], format: '{rcode}' },
      [makeQuery('x.')],
      whoami(),
    );
    assert.deepEqual(skipped.lines, []);
    const failing = replying({ rcode: 'SERVFAIL' });
    const errors = await logged(
      { classes: ['error'], format: '{rcode} {>rflags}' },
      [makeQuery('x.')],
      failing,
    );
    assert.deepEqual(errors.lines, ['[INFO] SERVFAIL qr,rd']);
  });

  it('logs slow responses of other classes with minDuration', async () => {
    const slow = replying({}, 40);
    const { lines } = await logged(
      { classes: ['denial'], minDurationMs: 10, format: '{rcode}' },
      [makeQuery('x.')],
      slow,
    );
    assert.deepEqual(lines, ['[INFO] NOERROR']);
    const fast = await logged(
      { classes: ['denial'], minDurationMs: 10_000 },
      [makeQuery('x.')],
      replying({}),
    );
    assert.deepEqual(fast.lines, []);
  });

  it('prints unnamed rcodes as numbers', async () => {
    const { lines } = await logged({ format: '{rcode}' }, [makeQuery('x.')], replying({ rcode: 'RCODE15' }));
    assert.deepEqual(lines, ['[INFO] 15']);
  });

  it('builds from a parsed Corefile directive', async () => {
    const plugin = logDefinition.create(logDefinition.parse(directiveFrom('log example.org "{name}"')));
    const { logger, lines } = recordingLogger();
    const server = createServer({ logger, plugins: [plugin, whoami()] });
    try {
      await server.exchange(makeQuery('a.example.org.'));
      await server.exchange(makeQuery('a.example.net.'));
    } finally {
      await server.close();
    }
    assert.deepEqual(lines, ['[INFO] a.example.org.']);
  });

  it('merges the log lines of a block into one plugin: the first matching line decides, once per query', async () => {
    const corefile = '. {\n  log example.org "first {name}"\n  log . "second {name}"\n  whoami\n}\n';
    const { blocks } = loadCorefile(corefile, { registry: createRegistry(builtinPlugins) });
    assert.deepEqual(
      blocks[0]?.plugins.map((p) => p.name),
      ['log', 'whoami'],
    );
    const { logger, lines } = recordingLogger();
    const server = createServer({ logger, blocks: blocks });
    try {
      await server.exchange(makeQuery('a.example.org.'));
      await server.exchange(makeQuery('a.example.net.'));
    } finally {
      await server.close();
    }
    assert.deepEqual(lines, ['[INFO] first a.example.org.', '[INFO] second a.example.net.']);
  });
});
