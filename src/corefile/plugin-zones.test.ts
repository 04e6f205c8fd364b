import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fallsThrough } from '../core/fallthrough.js';
import { directiveFrom, parseError } from '../plugin-kit/test-helpers.js';
import { fallthroughFrom, pluginZones } from './plugin-zones.js';

describe('pluginZones', () => {
  it("uses the server block's zones when the directive names none", () => {
    assert.deepEqual(pluginZones(directiveFrom('hosts', ['example.org.', 'example.net.'])), [
      'example.org.',
      'example.net.',
    ]);
  });

  it('normalises names and turns CIDRs into reverse zones', () => {
    const directive = directiveFrom('kubernetes Cluster.Local 10.0.0.0/15 fd00::/64');
    assert.deepEqual(pluginZones(directive), [
      'cluster.local.',
      '0.10.in-addr.arpa.',
      '1.10.in-addr.arpa.',
      '0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa.',
    ]);
  });

  it('rejects a port or a bad CIDR, at the line of the argument', () => {
    const withPort = parseError(() => pluginZones(directiveFrom('hosts example.org:53')));
    assert.equal(withPort.line, 2);
    assert.match(withPort.message, /not a valid zone: 'example\.org:53'/);
    const badCidr = parseError(() => pluginZones(directiveFrom('hosts 10.0.0.0/33')));
    assert.match(
      badCidr.message,
      /^Corefile:2 - Error during parsing: not a valid zone or CIDR: '10\.0\.0\.0\/33'/,
    );
  });
});

describe('fallthroughFrom', () => {
  it('falls through everything without zones, and only under its zones with them', () => {
    const directive = directiveFrom('kubernetes cluster.local {\n  fallthrough in-addr.arpa 10.0.0.0/8\n}');
    const line = directive.block[0];
    assert.ok(line !== undefined);
    const some = fallthroughFrom(directive, line);
    assert.deepEqual(some.zones, ['in-addr.arpa.', '10.in-addr.arpa.']);
    assert.equal(fallsThrough(some, '1.2.0.10.in-addr.arpa.'), true);
    assert.equal(fallsThrough(some, 'nginx.default.svc.cluster.local.'), false);
    const all = fallthroughFrom(directiveFrom('kubernetes {\n  fallthrough\n}'), {
      name: line.name,
      args: [],
      block: [],
    });
    assert.equal(fallsThrough(all, 'anything.example.'), true);
  });
});
