import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BlockSettings } from '../../core/types.js';
import { directiveFrom, parseError } from '../../plugin-kit/test-helpers.js';
import { rootDefinition } from './index.js';

describe('root', () => {
  it('takes one path and sets it as the block root', () => {
    const path = rootDefinition.parse(directiveFrom('root /etc/coredns/zones'));
    const block: BlockSettings = { listen: [], except: [] };
    rootDefinition.create(path).configure?.(block);
    assert.equal(block.root, '/etc/coredns/zones');
  });

  it('rejects no path, two paths and a block', () => {
    for (const text of ['root', 'root /a /b', 'root /a {\n  x\n}']) {
      assert.match(
        parseError(() => rootDefinition.parse(directiveFrom(text))).detail,
        /Wrong argument count/,
      );
    }
  });
});
