import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directiveFrom, parseError } from '../../plugin-kit/test-helpers.js';
import { healthDefinition } from './index.js';

const parse = (text: string) => healthDefinition.parse(directiveFrom(text));

describe('health setup', () => {
  it('accepts the bare directive, an address and a lameduck', () => {
    assert.deepEqual(parse('health'), {});
    assert.deepEqual(parse('health :8080'), { address: ':8080' });
    assert.deepEqual(parse('health [::1]:8091'), { address: '[::1]:8091' });
    assert.deepEqual(parse('health localhost:8092 {\n  lameduck 1s\n}'), {
      address: 'localhost:8092',
      lameduckMs: 1000,
    });
  });

  it('rejects a second argument at its line', () => {
    const error = parseError(() => parse('health :8080 :8081'));
    assert.equal(error.line, 2);
    assert.match(error.detail, /Wrong argument count .* after ':8081'/);
  });

  it("rejects an address without a port, with Go's message", () => {
    const error = parseError(() => parse('health localhost'));
    assert.equal(error.line, 2);
    assert.equal(error.detail, 'address localhost: missing port in address');
  });

  it('rejects a bad lameduck, a missing value and unknown options at their lines', () => {
    const bad = parseError(() => parse('health {\n  lameduck soon\n}'));
    assert.equal(bad.line, 3);
    assert.match(bad.detail, /unable to parse lameduck duration value: "soon"/);
    const missing = parseError(() => parse('health {\n  lameduck\n}'));
    assert.equal(missing.line, 3);
    assert.match(missing.detail, /Wrong argument count/);
    const unknown = parseError(() => parse('health {\n  lameduck 1s\n  foo\n}'));
    assert.equal(unknown.line, 4);
  });
});
