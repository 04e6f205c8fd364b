import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directiveFrom, parseError } from '../../plugin-kit/test-helpers.js';
import { originFor } from './auto.js';
import { autoDefinition } from './index.js';

describe('auto setup', () => {
  it('defaults to db\\.(.*) and {1}, and reads a custom pattern, template and reload', () => {
    const plain = autoDefinition.parse(directiveFrom('auto {\n  directory /zones\n}', ['example.org.']));
    assert.deepEqual(plain, { directory: '/zones', zones: ['example.org.'] });
    const custom = autoDefinition.parse(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CoreDNS's ${1} template syntax
      directiveFrom('auto org {\n  directory zones www\\.db\\.(.*) ${1}\n  reload 5s\n}'),
    );
    assert.equal(custom.template, '{1}');
    assert.equal(custom.pattern?.source, 'www\\.db\\.(.*)');
    assert.equal(custom.reloadMs, 5000);
    assert.deepEqual(custom.zones, ['org.']);
  });

  it('maps file names to origins', () => {
    assert.equal(originFor('/z/db.example.org', /db\.(.*)/, '{1}'), 'example.org.');
    assert.equal(originFor('/z/example.com.zone', /(.*)\.zone/, 'x.{1}'), 'x.example.com.');
    assert.equal(originFor('/z/readme', /db\.(.*)/, '{1}'), undefined);
  });

  it('rejects a regexp without a group, a pattern without a template and unknown properties', () => {
    const group = parseError(() =>
      autoDefinition.parse(directiveFrom('auto {\n  directory /z db\\..* {1}\n}')),
    );
    assert.match(group.detail, /Need at least one sub expression/);
    assert.equal(group.line, 3);
    const template = parseError(() =>
      autoDefinition.parse(directiveFrom('auto {\n  directory /z db\\.(.*)\n}')),
    );
    assert.match(template.detail, /Wrong argument count/);
    const unknown = parseError(() =>
      autoDefinition.parse(directiveFrom('auto {\n  directory /z\n  bogus\n}')),
    );
    assert.match(unknown.detail, /unknown property 'bogus'/);
    assert.match(
      parseError(() => autoDefinition.parse(directiveFrom('auto'))).detail,
      /auto needs a directory/,
    );
  });
});
