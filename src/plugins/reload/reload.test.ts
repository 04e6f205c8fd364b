import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directiveFrom, parseError } from '../../plugin-kit/test-helpers.js';
import { reloadDefinition } from './index.js';

const parse = (text: string) => reloadDefinition.parse(directiveFrom(text));

describe('reload setup', () => {
  it('defaults to 30s and 15s, and caps the jitter at half the interval', () => {
    assert.deepEqual(parse('reload'), { intervalMs: 30_000, jitterMs: 15_000 });
    assert.deepEqual(parse('reload 10s'), { intervalMs: 10_000, jitterMs: 5000 });
    assert.deepEqual(parse('reload 2s 1s'), { intervalMs: 2000, jitterMs: 1000 });
    assert.deepEqual(parse('reload 1m 5s'), { intervalMs: 60_000, jitterMs: 5000 });
  });

  it("enforces CoreDNS's minimums (2s, 1s) at the offending token", () => {
    const interval = parseError(() => parse('reload 1s'));
    assert.equal(interval.line, 2);
    assert.equal(interval.detail, 'interval value must be greater or equal to 2s');
    assert.equal(
      parseError(() => parse('reload 5s 500ms')).detail,
      'jitter value must be greater or equal to 1s',
    );
  });

  it('rejects bad durations, extra arguments and a block', () => {
    assert.equal(parseError(() => parse('reload soon')).detail, 'time: invalid duration "soon"');
    assert.match(parseError(() => parse('reload 5s 1s 1s')).detail, /Wrong argument count/);
    assert.equal(parseError(() => parse('reload 5s {\n  x\n}')).line, 2);
  });
});
