import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EncodeError } from './errors.js';
import { toFqdn } from './name-text.js';
import { isSubdomain, nameLabels, normalizeName, validateName } from './names.js';

const badName = (error: unknown) => error instanceof EncodeError && error.code === 'bad-name';

describe('normalizeName', () => {
  it('lowercases ASCII and makes the name fully qualified', () => {
    assert.equal(normalizeName('WWW.Example.ORG'), 'www.example.org.');
    assert.equal(normalizeName('a.b.'), 'a.b.');
    assert.equal(normalizeName(''), '.');
    assert.equal(normalizeName('.'), '.');
  });
  it('returns names already in normal form unchanged, and still checks them', () => {
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}.`;
    assert.equal(normalizeName(long), long);
    assert.equal(normalizeName('svc-1.ns.svc.cluster.local.'), 'svc-1.ns.svc.cluster.local.');
    for (const bad of [`${'a'.repeat(64)}.org.`, `${long.slice(0, -2)}dd.`, 'a..b.', '.a.']) {
      assert.throws(() => normalizeName(bad), badName, bad);
    }
    assert.throws(() => normalizeName(42 as unknown as string), badName);
  });
  it('rewrites escapes canonically', () => {
    assert.equal(normalizeName('\\065B\\.c.org'), 'ab\\.c.org.');
    assert.equal(normalizeName('a\\032b.org.'), 'a\\032b.org.');
    assert.equal(normalizeName('a\\ b.org.'), 'a\\032b.org.');
    assert.equal(normalizeName('\\@.org.'), '\\@.org.');
    assert.equal(normalizeName('x\\255.org.'), 'x\\255.org.');
  });
});

describe('validateName', () => {
  it('accepts names at the limits', () => {
    validateName(`${'a'.repeat(63)}.org.`);
    // 3 labels of 63 + one of 61 = 4*1 + 250 + root = 255 bytes.
    validateName(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}.`);
  });
  it('rejects oversize labels and names', () => {
    assert.throws(() => validateName(`${'a'.repeat(64)}.org.`), badName);
    assert.throws(
      () => validateName(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}.`),
      badName,
    );
    assert.throws(
      () => validateName(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`),
      badName,
    );
    assert.throws(() => validateName(`${'\\000'.repeat(64)}.`), badName);
  });
  it('rejects empty labels and bad escapes', () => {
    for (const bad of ['a..b.', '.a.', '..', 'a\\', 'a\\25.', 'a\\256.', 'a b.', 'ü.org.', 'a\tb.']) {
      assert.throws(() => validateName(bad), badName, bad);
    }
  });
});

describe('nameLabels', () => {
  it('splits on unescaped dots only', () => {
    assert.deepEqual(nameLabels('www.example.org.'), ['www', 'example', 'org']);
    assert.deepEqual(nameLabels('a\\.b.c'), ['a\\.b', 'c']);
    assert.deepEqual(nameLabels('.'), []);
    assert.deepEqual(nameLabels('A\\098.'), ['Ab']);
  });
});

describe('isSubdomain', () => {
  it('compares whole labels ignoring case', () => {
    assert.equal(isSubdomain('www.Example.org.', 'example.ORG'), true);
    assert.equal(isSubdomain('example.org.', 'example.org.'), true);
    assert.equal(isSubdomain('anything.', '.'), true);
    assert.equal(isSubdomain('.', '.'), true);
    assert.equal(isSubdomain('badexample.org.', 'example.org.'), false);
    assert.equal(isSubdomain('org.', 'example.org.'), false);
  });
  it('does not treat an escaped dot as a label boundary', () => {
    assert.equal(isSubdomain('a\\.example.org.', 'example.org.'), false);
    assert.equal(isSubdomain('a\\\\.example.org.', 'example.org.'), true);
    assert.equal(isSubdomain('a\\046example.org.', 'example.org.'), false);
  });
});

describe('toFqdn', () => {
  it('adds a dot unless the last dot is unescaped', () => {
    assert.equal(toFqdn('a.org'), 'a.org.');
    assert.equal(toFqdn('a.org.'), 'a.org.');
    assert.equal(toFqdn('a\\.'), 'a\\..');
    assert.equal(toFqdn('a\\\\.'), 'a\\\\.');
    assert.equal(toFqdn(''), '.');
  });
});
