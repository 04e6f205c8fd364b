import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directiveFrom, parseError } from '../../plugin-kit/test-helpers.js';
import { loopDefinition } from './index.js';
import { probeName, probeTarget } from './probe.js';

describe('loop setup', () => {
  it("takes no arguments and uses the block's first zone", () => {
    assert.deepEqual(loopDefinition.parse(directiveFrom('loop')), { zone: '.' });
    assert.deepEqual(loopDefinition.parse(directiveFrom('loop', ['example.org.', 'example.net.'])), {
      zone: 'example.org.',
    });
    assert.equal(loopDefinition.once, true);
  });

  it('rejects arguments and a block at their line', () => {
    assert.equal(parseError(() => loopDefinition.parse(directiveFrom('loop 1'))).line, 2);
    assert.match(
      parseError(() => loopDefinition.parse(directiveFrom('loop {\n  x\n}'))).detail,
      /Wrong argument/,
    );
  });
});

describe('loop probe', () => {
  it('names two random 63-bit numbers under the zone', () => {
    assert.match(probeName('.'), /^\d{1,19}\.\d{1,19}\.$/);
    assert.match(probeName('example.org.'), /^\d+\.\d+\.example\.org\.$/);
    assert.notEqual(probeName('.'), probeName('.'));
  });

  it('probes the first UDP listener, a wildcard through loopback, labelled as CoreDNS prints it', () => {
    assert.deepEqual(
      probeTarget([
        { address: '0.0.0.0', port: 53, transport: 'tcp' },
        { address: '0.0.0.0', port: 53, transport: 'udp' },
      ]),
      { host: '127.0.0.1', port: 53, label: ':53' },
    );
    assert.deepEqual(probeTarget([{ address: '::1', port: 1053, transport: 'udp' }]), {
      host: '::1',
      port: 1053,
      label: '[::1]:1053',
    });
    assert.equal(probeTarget([{ address: '127.0.0.1', port: 53, transport: 'tcp' }]), undefined);
  });
});
