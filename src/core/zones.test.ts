import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeZones, ZoneRouter } from './zones.js';

function router(...zoneLists: string[][]): ZoneRouter<string> {
  return new ZoneRouter(zoneLists.map((zones, i) => ({ zones, target: `block${i}` })));
}

describe('normalizeZones', () => {
  it('lowercases, qualifies, and defaults to the root', () => {
    assert.deepEqual(normalizeZones(['Example.ORG', 'a.b.']), ['example.org.', 'a.b.']);
    assert.deepEqual(normalizeZones(undefined), ['.']);
    assert.deepEqual(normalizeZones([]), ['.']);
  });
});

describe('ZoneRouter', () => {
  const zones = router(['example.org.'], ['sub.example.org.', 'example.net.'], ['.']);

  it('picks the longest matching zone', () => {
    assert.deepEqual(zones.route('www.sub.example.org.', 'A'), {
      zone: 'sub.example.org.',
      target: 'block1',
    });
    assert.deepEqual(zones.route('sub.example.org.', 'A'), { zone: 'sub.example.org.', target: 'block1' });
    assert.deepEqual(zones.route('www.example.org.', 'A'), { zone: 'example.org.', target: 'block0' });
    assert.deepEqual(zones.route('example.net.', 'MX'), { zone: 'example.net.', target: 'block1' });
  });

  it('falls back to the root zone, and refuses when there is none', () => {
    assert.deepEqual(zones.route('www.example.com.', 'A'), { zone: '.', target: 'block2' });
    assert.deepEqual(zones.route('.', 'NS'), { zone: '.', target: 'block2' });
    const noRoot = router(['example.org.']);
    assert.equal(noRoot.route('www.example.com.', 'A'), undefined);
    assert.equal(noRoot.route('.', 'NS'), undefined);
    // Whole labels only: notexample.org. is not under example.org.
    assert.equal(noRoot.route('notexample.org.', 'A'), undefined);
  });

  it('does not split labels at escaped dots', () => {
    const escaped = router(['org.']);
    assert.deepEqual(escaped.route('a\\.org.', 'A'), undefined);
    assert.deepEqual(escaped.route('a\\.b.org.', 'A'), { zone: 'org.', target: 'block0' });
  });

  it('routes DS queries to the highest matching zone (the parent side)', () => {
    assert.deepEqual(zones.route('sub.example.org.', 'DS'), { zone: 'example.org.', target: 'block0' });
    const single = router(['example.org.']);
    assert.deepEqual(single.route('example.org.', 'DS'), { zone: 'example.org.', target: 'block0' });
  });

  it('refuses a zone defined twice', () => {
    assert.throws(() => router(['example.org.'], ['Example.org']), /more than once/);
  });

  it('lists its zones', () => {
    assert.deepEqual(zones.zones.sort(), ['.', 'example.net.', 'example.org.', 'sub.example.org.']);
  });
});
