import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directiveFrom, parseError } from '../../plugin-kit/test-helpers.js';
import { readyDefinition } from './index.js';

const parse = (text: string) => readyDefinition.parse(directiveFrom(text));

describe('ready setup', () => {
  it('accepts the bare directive, an address and a monitor', () => {
    assert.deepEqual(parse('ready'), {});
    assert.deepEqual(parse('ready 127.0.0.1:8181'), { address: '127.0.0.1:8181' });
    assert.deepEqual(parse('ready :8182 {\n  monitor continuously\n}'), {
      address: ':8182',
      monitor: 'continuously',
    });
    assert.equal(readyDefinition.once, true);
  });

  it('rejects bad addresses, arguments and properties at their lines', () => {
    assert.equal(parseError(() => parse('ready 8181')).detail, 'address 8181: missing port in address');
    assert.match(parseError(() => parse('ready :1 :2')).detail, /Wrong argument count .* ':2'/);
    const property = parseError(() => parse('ready {\n  foo\n}'));
    assert.equal(property.line, 3);
    assert.equal(property.detail, "unknown property 'foo'");
    const monitor = parseError(() => parse('ready {\n  monitor sometimes\n}'));
    assert.equal(monitor.line, 3);
    assert.equal(monitor.detail, "monitor type 'sometimes' not supported");
  });
});
