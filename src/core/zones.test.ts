import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { query, testServer } from '../testing/index.js';
import type { Middleware } from './types.js';
import { matchZone, normalizeZones, withinZones, ZoneRouter } from './zones.js';

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

describe('matchZone and withinZones', () => {
  it('picks the longest zone containing the name, label-wise', () => {
    const zones = ['.', 'example.org.', 'sub.example.org.'];
    assert.equal(matchZone(zones, 'a.sub.example.org.'), 'sub.example.org.');
    assert.equal(matchZone(zones, 'example.org.'), 'example.org.');
    assert.equal(matchZone(['example.org.'], 'badexample.org.'), undefined);
    assert.equal(matchZone(zones, 'other.test.'), '.');
  });

  it('lets names outside the zones pass on untouched', async () => {
    const inside: Middleware = (ctx) => ctx.reply({ rcode: 'NXDOMAIN', authoritative: true });
    const server = testServer([withinZones(['Example.ORG'], inside), (ctx) => ctx.reply({})]);
    assert.equal((await server.exchange(query('www.example.org.'))).rcode, 'NXDOMAIN');
    assert.equal((await server.exchange(query('www.example.net.'))).rcode, 'NOERROR');
  });
});
