import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../core/logger.js';
import { createServer } from '../core/server.js';
import { CorefileError, loadCorefile } from '../corefile/index.js';
import { makeQuery } from '../plugin-kit/test-helpers.js';
import { createRegistry, isCorednsDirective } from '../registry/index.js';
import { builtinPlugins } from './index.js';

describe('builtinPlugins', () => {
  const registry = createRegistry(builtinPlugins);

  it('lists each built-in directive once, each one a CoreDNS directive', () => {
    const names = builtinPlugins.map((definition) => definition.name);
    assert.equal(new Set(names).size, names.length, `duplicates in ${names.join(', ')}`);
    for (const name of names) assert.ok(isCorednsDirective(name), `${name} is not a CoreDNS directive`);
    for (const name of ['any', 'bind', 'chaos', 'errors', 'log', 'minimal', 'whoami']) {
      assert.ok(names.includes(name), `${name} missing`);
    }
  });

  it('loads a Corefile that uses them together, in CoreDNS order', async () => {
    const corefile = '. {\n  whoami\n  any\n  chaos v9\n  log\n  errors\n  minimal\n  bind 127.0.0.1\n}\n';
    const { blocks } = loadCorefile(corefile, { registry });
    assert.deepEqual(
      blocks[0]?.plugins.map((plugin) => plugin.name),
      ['bind', 'errors', 'log', 'any', 'chaos', 'minimal', 'whoami'],
    );
    const server = createServer({ blocks, logger: silentLogger });
    try {
      const response = await server.exchange(makeQuery('version.bind.', 'TXT', { class: 'CH' }));
      assert.deepEqual(response.answers[0]?.data, ['v9']);
    } finally {
      await server.close();
    }
  });

  it('refuses errors twice in one server block, at the second line', () => {
    assert.throws(
      () => loadCorefile('. {\n  errors\n  errors\n  whoami\n}\n', { registry }),
      (error: unknown) =>
        error instanceof CorefileError && error.line === 3 && /only be used once/.test(error.message),
    );
  });
});
