import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatDuration, formatSeconds, parseDuration } from './duration.js';

describe('Go durations', () => {
  it('parses what Go parses', () => {
    const cases: [string, number][] = [
      ['0', 0],
      ['100ms', 100],
      ['1.5s', 1500],
      ['5m', 300_000],
      ['1h30m', 5_400_000],
      ['250us', 0.25],
      ['250µs', 0.25],
      ['-2s', -2000],
      ['.5s', 500],
    ];
    for (const [text, ms] of cases) assert.equal(parseDuration(text), ms, text);
  });

  it('rejects what Go rejects', () => {
    for (const text of ['', '1', '1x', '123abc', 's', '1s2', '--1s', '1.2.3s']) {
      assert.equal(parseDuration(text), undefined, text);
    }
  });

  it('formats as Go prints durations', () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [0.0005, '500ns'],
      [0.0015, '1.5µs'],
      [20, '20ms'],
      [1500, '1.5s'],
      [30_000, '30s'],
      [300_000, '5m0s'],
      [90_500, '1m30.5s'],
      [3_600_000, '1h0m0s'],
    ];
    for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, text);
  });

  it('round-trips whole milliseconds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 * 86_400_000 }),
        (ms) => parseDuration(formatDuration(ms)) === ms,
      ),
    );
  });

  it('writes seconds without an exponent', () => {
    assert.equal(formatSeconds(0.000123), '0.000000123s');
    assert.equal(formatSeconds(37.990251), '0.037990251s');
    assert.equal(formatSeconds(2000), '2s');
  });
});
