import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directiveFrom, parseError } from '../../plugin-kit/test-helpers.js';
import { cacheDefinition } from './index.js';
import { cacheSettings } from './options.js';

const parse = (text: string, zones?: string[]) => cacheDefinition.parse(directiveFrom(text, zones));
const detail = (text: string) => parseError(() => parse(text)).detail;

describe('cache setup', () => {
  it('defaults to the server block zones and CoreDNS limits', () => {
    const options = parse('cache', ['example.org.']);
    assert.deepEqual(options, { zones: ['example.org.'] });
    const settings = cacheSettings(options);
    assert.deepEqual(settings.success, { capacity: 9984, maxTtl: 3600, minTtl: 5 });
    assert.deepEqual(settings.denial, { capacity: 9984, maxTtl: 1800, minTtl: 5 });
    assert.equal(settings.servfailTtl, 5);
    assert.equal(settings.staleSeconds, 0);
    assert.equal(cacheDefinition.once, true);
  });

  it('reads TTL, zones and every block option', () => {
    const options = parse(
      [
        'cache 300 example.org 10.0.0.0/8 {',
        '  success 5000 600 10',
        '  denial 2500 60',
        '  prefetch 10 2m 20%',
        '  serve_stale 2h verify',
        '  servfail 10s',
        '  disable success internal.example.org',
        '  disable denial',
        '  keepttl',
        '}',
      ].join('\n'),
    );
    assert.deepEqual(options, {
      maxTtl: 300,
      zones: ['example.org.', '10.in-addr.arpa.'],
      success: { capacity: 5000, maxTtl: 600, minTtl: 10 },
      denial: { capacity: 2500, maxTtl: 60 },
      prefetch: { amount: 10, durationMs: 120_000, percentage: 20 },
      serveStale: { durationMs: 7_200_000, refresh: 'verify' },
      servfailMs: 10_000,
      disable: { success: ['internal.example.org.'], denial: ['.'] },
      keepTtl: true,
    });
    const settings = cacheSettings(options);
    assert.equal(settings.denial.maxTtl, 60);
    assert.equal(settings.success.maxTtl, 600);
    assert.equal(cacheSettings(parse('cache 30')).denial.maxTtl, 30);
    assert.equal(cacheSettings(parse('cache {\n  serve_stale\n}')).staleSeconds, 3600);
  });

  it('rejects what CoreDNS rejects, at the offending line', () => {
    assert.equal(detail('cache 0'), 'cache TTL can not be zero or negative: 0');
    assert.equal(detail('cache {\n  success many\n}'), 'strconv.Atoi: parsing "many": invalid syntax');
    assert.equal(detail('cache {\n  success 10 0\n}'), 'cache TTL can not be zero or negative: 0');
    assert.equal(detail('cache {\n  denial 10 60 -1\n}'), 'cache min TTL can not be negative: -1');
    assert.equal(detail('cache {\n  prefetch 1 1m 95%\n}'), 'percentage should fall in range [10, 90]: 95');
    assert.match(detail('cache {\n  prefetch 1 1m 50\n}'), /last character of percentage should be `%`/);
    assert.equal(
      detail('cache {\n  serve_stale 1h later\n}'),
      'invalid value for serve_stale refresh mode: later',
    );
    assert.equal(
      detail('cache {\n  servfail 6m\n}'),
      'caching SERVFAIL responses over 5 minutes is not permitted',
    );
    assert.equal(
      detail('cache {\n  disable everything\n}'),
      'cache type for disable must be "success" or "denial"',
    );
    assert.match(detail('cache {\n  keepttl now\n}'), /Wrong argument count .* after 'now'/);
    assert.match(detail('cache {\n  bogus\n}'), /Wrong argument count .* after 'bogus'/);
    assert.equal(parseError(() => parse('cache {\n  bogus\n}')).line, 3);
  });
});
