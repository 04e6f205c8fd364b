import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directiveFrom, parseError } from '../../plugin-kit/test-helpers.js';
import { secondaryDefinition } from './index.js';

const parse = (text: string, zones?: readonly string[]) =>
  secondaryDefinition.parse(directiveFrom(text, zones));

describe('secondary setup', () => {
  it('reads zones and primaries, port 53 by default', () => {
    assert.deepEqual(
      parse('secondary {\n transfer from 10.0.0.1 [::1]:5300\n transfer from 10.0.0.2:54\n}', [
        'example.org.',
      ]),
      {
        zones: ['example.org.'],
        from: [
          { address: '10.0.0.1', port: 53 },
          { address: '::1', port: 5300 },
          { address: '10.0.0.2', port: 54 },
        ],
      },
    );
    assert.deepEqual(parse('secondary example.net {\n transfer from 10.0.0.1\n}').zones, ['example.net.']);
    assert.equal(
      secondaryDefinition.create(parse('secondary {\n transfer from 10.0.0.1\n}')).name,
      'secondary',
    );
  });

  it('rejects what it cannot use, at the offending line', () => {
    const cases: [string, RegExp, number][] = [
      ['secondary', /'transfer from' is required/, 2],
      ['secondary {\n transfer to 10.0.0.1\n}', /unknown property 'to'/, 3],
      ['secondary {\n transfer from\n}', /Wrong argument count/, 3],
      ['secondary {\n transfer from primary.example\n}', /not an IP address: 'primary.example'/, 3],
      ['secondary {\n upstream 10.0.0.1\n}', /unknown property 'upstream'/, 3],
    ];
    for (const [text, message, line] of cases) {
      const error = parseError(() => parse(text));
      assert.match(error.message, message, text);
      assert.equal(error.line, line, text);
    }
  });
});
