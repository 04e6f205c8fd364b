import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fallsThrough, noFallthrough, parseFallthrough } from './fallthrough.js';

describe('fallthrough', () => {
  it('without zones falls through for every name', () => {
    const all = parseFallthrough([]);
    assert.deepEqual(all.zones, ['.']);
    assert.equal(fallsThrough(all, 'anything.example.com.'), true);
    assert.equal(fallsThrough(all, '.'), true);
  });

  it('with zones falls through only for names at or under them', () => {
    const some = parseFallthrough(['Example.ORG', 'in-addr.arpa.']);
    assert.deepEqual(some.zones, ['example.org.', 'in-addr.arpa.']);
    assert.equal(fallsThrough(some, 'example.org.'), true);
    assert.equal(fallsThrough(some, 'WWW.example.org.'), true);
    assert.equal(fallsThrough(some, '1.0.0.10.in-addr.arpa.'), true);
    assert.equal(fallsThrough(some, 'example.net.'), false);
    assert.equal(fallsThrough(some, 'notexample.org.'), false);
  });

  it('is off when not configured', () => {
    assert.equal(fallsThrough(noFallthrough, 'example.org.'), false);
  });
});
