import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { after, describe, it } from 'node:test';
import { createServer } from '../../core/server.js';
import { directiveFrom, makeQuery, parseError } from '../../plugin-kit/test-helpers.js';
import type { TxtData } from '../../wire/types.js';
import { whoami } from '../whoami/index.js';
import { chaos, chaosDefinition } from './index.js';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

function texts(data: unknown): TxtData {
  return data as TxtData;
}

describe('chaos setup', () => {
  it('reads VERSION and AUTHORS, de-duplicating and sorting authors', () => {
    assert.deepEqual(chaosDefinition.parse(directiveFrom('chaos')), {});
    assert.deepEqual(chaosDefinition.parse(directiveFrom('chaos MyDNS-1.0')), { version: 'MyDNS-1.0' });
    assert.deepEqual(chaosDefinition.parse(directiveFrom('chaos v1 "Zed Z" "Amy A" "Zed Z"')), {
      version: 'v1',
      authors: ['Amy A', 'Zed Z'],
    });
  });

  it('rejects a block at its line', () => {
    const error = parseError(() => chaosDefinition.parse(directiveFrom('chaos v1 {\n  authors x\n}')));
    assert.equal(error.line, 3);
    assert.match(error.detail, /after 'authors'/);
  });
});

describe('chaos', () => {
  const server = createServer({
    plugins: [chaos({ version: 'test-1.2', authors: ['Amy A', 'Zed Z'] }), whoami()],
  });
  after(() => server.close());

  it('answers version.bind and version.server with the version, TTL 0, class CH', async () => {
    for (const name of ['version.bind.', 'VERSION.Server.']) {
      const response = await server.exchange(makeQuery(name, 'TXT', { class: 'CH' }));
      assert.equal(response.flags.aa, false);
      assert.deepEqual(response.answers, [{ name, type: 'TXT', class: 'CH', ttl: 0, data: ['test-1.2'] }]);
    }
  });

  it('answers authors.bind with one record per author', async () => {
    const response = await server.exchange(makeQuery('authors.bind.', 'TXT', { class: 'CH' }));
    const authors = response.answers.map((record) => texts(record.data)[0]).sort();
    assert.deepEqual(authors, ['Amy A', 'Zed Z']);
  });

  it('answers hostname.bind and id.server with the host name', async () => {
    for (const name of ['hostname.bind.', 'id.server.']) {
      const response = await server.exchange(makeQuery(name, 'TXT', { class: 'CH' }));
      assert.deepEqual(texts(response.answers[0]?.data), [hostname().slice(0, 255)]);
    }
  });

  it('passes on other CH names, other types and other classes', async () => {
    const queries = [
      makeQuery('example.bind.', 'TXT', { class: 'CH' }),
      makeQuery('version.bind.', 'A', { class: 'CH' }),
      makeQuery('version.bind.', 'TXT'),
    ];
    for (const query of queries) {
      const response = await server.exchange(query);
      assert.deepEqual(response.answers, []);
      assert.equal(response.additionals.length, 2, 'whoami answered');
    }
  });

  it('defaults to dnskit-<package version> and cuts long strings to 255 bytes', async (t) => {
    const plain = createServer({ plugins: [chaos({ hostname: () => 'h'.repeat(300) })] });
    t.after(() => plain.close());
    const version = await plain.exchange(makeQuery('version.bind.', 'TXT', { class: 'CH' }));
    assert.deepEqual(texts(version.answers[0]?.data), [`dnskit-${packageVersion}`]);
    const host = await plain.exchange(makeQuery('hostname.bind.', 'TXT', { class: 'CH' }));
    assert.deepEqual(texts(host.answers[0]?.data), ['h'.repeat(255)]);
  });

  it('builds from a parsed Corefile directive', async (t) => {
    const plugin = chaosDefinition.create(chaosDefinition.parse(directiveFrom('chaos parsed-9 "Only One"')));
    const parsed = createServer({ plugins: [plugin] });
    t.after(() => parsed.close());
    const response = await parsed.exchange(makeQuery('authors.bind.', 'TXT', { class: 'CH' }));
    assert.deepEqual(texts(response.answers[0]?.data), ['Only One']);
  });
});
