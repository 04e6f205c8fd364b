import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directiveFrom, parseError } from '../../plugin-kit/test-helpers.js';
import { fileDefinition } from './index.js';

describe('file setup', () => {
  it('takes the zones from its arguments or the server block', () => {
    assert.deepEqual(fileDefinition.parse(directiveFrom('file db.example.org', ['example.org.'])), {
      path: 'db.example.org',
      zones: ['example.org.'],
    });
    const options = fileDefinition.parse(directiveFrom('file db.x Example.ORG 10.0.0.0/8'));
    assert.deepEqual(options.zones, ['example.org.', '10.in-addr.arpa.']);
  });

  it('reads reload, reload_by_mtime, fallthrough and ignores upstream', () => {
    const options = fileDefinition.parse(
      directiveFrom('file db.x {\n  reload 30s\n  reload_by_mtime\n  fallthrough example.org\n  upstream\n}'),
    );
    assert.equal(options.reloadMs, 30_000);
    assert.equal(options.reloadByMtime, true);
    assert.deepEqual(options.fallthrough, { zones: ['example.org.'] });
    assert.equal(fileDefinition.parse(directiveFrom('file db.x {\n reload 0\n}')).reloadMs, 0);
  });

  it('rejects a missing file, bad durations and unknown properties at their line', () => {
    assert.match(
      parseError(() => fileDefinition.parse(directiveFrom('file'))).detail,
      /Wrong argument count/,
    );
    const duration = parseError(() => fileDefinition.parse(directiveFrom('file db.x {\n  reload soon\n}')));
    assert.equal(duration.line, 3);
    assert.match(duration.detail, /invalid duration 'soon'/);
    const missing = parseError(() => fileDefinition.parse(directiveFrom('file db.x {\n  reload\n}')));
    assert.match(missing.detail, /reload duration value is expected/);
    const unknown = parseError(() => fileDefinition.parse(directiveFrom('file db.x {\n  transfer to *\n}')));
    assert.equal(unknown.line, 3);
    assert.match(unknown.detail, /unknown property 'transfer'/);
  });
});
