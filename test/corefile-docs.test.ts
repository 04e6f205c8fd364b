import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseCorefile } from '../src/corefile/index.js';
import { corednsDirectives } from '../src/registry/index.js';

const markdown = readFileSync(new URL('../docs/corefile.md', import.meta.url), 'utf8');

describe('docs/corefile.md', () => {
  it('shows Corefiles that parse', () => {
    const fences = [...markdown.matchAll(/^```corefile\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
    assert.ok(fences.length > 0);
    for (const fence of fences) assert.ok(parseCorefile(fence, { env: {} }).blocks.length > 0);
  });

  it('tables the directive order exactly as the registry has it', () => {
    const cells = [...markdown.matchAll(/\|\s*(\d+)\s*\|\s*([a-z0-9_]+)\s*(?=\|)/g)].map((m) => [
      Number(m[1]),
      m[2],
    ]);
    const byNumber = cells.sort((a, b) => (a[0] as number) - (b[0] as number)).map((c) => c[1]);
    assert.deepEqual(byNumber, corednsDirectives);
  });
});
