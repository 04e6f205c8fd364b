import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directiveFrom, parseError } from '../../plugin-kit/test-helpers.js';
import { prometheusDefinition } from './index.js';

const parse = (text: string) => prometheusDefinition.parse(directiveFrom(text));

describe('prometheus setup', () => {
  it('accepts the bare directive and an address', () => {
    assert.deepEqual(parse('prometheus'), {});
    assert.deepEqual(parse('prometheus :9153'), { address: ':9153' });
    assert.equal(prometheusDefinition.once, true);
  });

  it('rejects bad addresses, extra arguments and options at their lines', () => {
    assert.equal(parseError(() => parse('prometheus 9153')).detail, 'address 9153: missing port in address');
    assert.equal(parseError(() => parse('prometheus :1 :2')).line, 2);
    const tls = parseError(() => parse('prometheus {\n  tls cert key\n}'));
    assert.equal(tls.line, 3);
    assert.match(tls.detail, /not supported by dnskit yet/);
    const unknown = parseError(() => parse('prometheus {\n  foo\n}'));
    assert.equal(unknown.detail, 'unknown option: foo');
  });
});
