import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createServer } from '../../core/server.js';
import { directiveFrom, makeQuery, parseError } from '../../plugin-kit/test-helpers.js';
import { whoami } from '../whoami/index.js';
import { any, anyDefinition } from './index.js';

describe('any setup', () => {
  it('accepts the bare directive', () => {
    assert.equal(anyDefinition.parse(directiveFrom('any')), undefined);
    assert.equal(anyDefinition.create(undefined).name, 'any');
  });

  it('rejects arguments at their line', () => {
    const error = parseError(() => anyDefinition.parse(directiveFrom('any yes')));
    assert.equal(error.line, 2);
    assert.match(error.detail, /Wrong argument count or unexpected line ending after 'yes'/);
  });
});

describe('any', () => {
  const server = createServer({ plugins: [any(), whoami()] });
  after(() => server.close());

  it('answers ANY with one RFC 8482 HINFO in ANSWER, TTL 8482, not authoritative', async () => {
    const response = await server.exchange(makeQuery('Example.ORG.', 'ANY'));
    assert.equal(response.rcode, 'NOERROR');
    assert.equal(response.flags.aa, false);
    assert.deepEqual(response.answers, [
      {
        name: 'Example.ORG.',
        type: 'HINFO',
        class: 'IN',
        ttl: 8482,
        data: { cpu: 'ANY obsoleted', os: 'See RFC 8482' },
      },
    ]);
    assert.deepEqual(response.authorities, []);
    assert.deepEqual(response.additionals, []);
  });

  it('passes other types on', async () => {
    const response = await server.exchange(makeQuery('example.org.', 'A'));
    assert.deepEqual(response.answers, []);
    assert.equal(response.additionals[0]?.type, 'A', 'whoami answered');
  });
});
