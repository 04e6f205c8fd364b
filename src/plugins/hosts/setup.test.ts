import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directiveFrom, parseError } from '../../plugin-kit/test-helpers.js';
import { hostsDefinition } from './index.js';

const parse = (text: string, zones?: readonly string[]) => hostsDefinition.parse(directiveFrom(text, zones));

describe('hosts setup', () => {
  it('defaults to /etc/hosts and the server block zones', () => {
    assert.deepEqual(parse('hosts', ['example.org.']), { zones: ['example.org.'] });
    assert.equal(hostsDefinition.once, true);
    assert.equal(hostsDefinition.create({}).name, 'hosts');
  });

  it('reads FILE and ZONES, CIDRs as reverse zones', () => {
    assert.deepEqual(parse('hosts /tmp/h miek.nl 10.0.0.9/8'), {
      path: '/tmp/h',
      zones: ['miek.nl.', '10.in-addr.arpa.'],
    });
  });

  it('reads every block option', () => {
    const options = parse(
      'hosts h {\n 10.0.0.1 a.example b\n ttl 60\n no_reverse\n reload 15s\n fallthrough example.org\n fallthrough_unsupported\n}',
    );
    assert.deepEqual(options, {
      path: 'h',
      zones: ['.'],
      inline: '10.0.0.1 a.example b',
      ttl: 60,
      reverse: false,
      reloadMs: 15_000,
      fallthrough: { zones: ['example.org.'] },
      fallthroughUnsupported: true,
    });
    assert.deepEqual(parse('hosts {\n reload 0\n fallthrough\n}'), {
      zones: ['.'],
      reloadMs: 0,
      fallthrough: { zones: ['.'] },
    });
  });

  it('rejects what CoreDNS rejects, at the offending line', () => {
    const cases: [string, RegExp, number][] = [
      ['hosts {\n ttl\n}', /ttl needs a time in second/, 3],
      ['hosts {\n ttl x\n}', /ttl needs a number of second/, 3],
      ['hosts {\n ttl 0\n}', /ttl provided is invalid/, 3],
      ['hosts {\n ttl 65536\n}', /ttl provided is invalid/, 3],
      ['hosts {\n reload\n}', /reload needs a duration \(zero seconds to disable\)/, 3],
      ['hosts {\n reload 1s extra\n}', /reload needs a duration/, 3],
      ['hosts {\n reload soon\n}', /invalid duration for reload 'soon'/, 3],
      ['hosts {\n reload -1s\n}', /invalid negative duration for reload '-1s'/, 3],
      ['hosts {\n fallthrough\n 10.0.0.1 example.org\n}', /unknown property '10.0.0.1'/, 4],
      ['hosts {\n fallthrough_unsupported\n}', /fallthrough_unsupported requires fallthrough/, 3],
    ];
    for (const [text, message, line] of cases) {
      const error = parseError(() => parse(text));
      assert.match(error.message, message, text);
      assert.equal(error.line, line, text);
    }
  });
});
