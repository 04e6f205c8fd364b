import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { builtinPlugins, createRegistry, createServer, loadCorefile } from 'dnskit';

const pluginsDir = new URL('../src/plugins/', import.meta.url).pathname;

/** Every ```corefile fence of a README, with the line it starts on. */
function corefileFences(markdown: string): { text: string; line: number }[] {
  const fences: { text: string; line: number }[] = [];
  const pattern = /^```corefile\n([\s\S]*?)^```$/gm;
  for (let m = pattern.exec(markdown); m !== null; m = pattern.exec(markdown)) {
    fences.push({ text: m[1] ?? '', line: markdown.slice(0, m.index).split('\n').length });
  }
  return fences;
}

describe('plugin READMEs', () => {
  const folders = readdirSync(pluginsDir, { withFileTypes: true }).filter((d) => d.isDirectory());
  it('every built-in plugin has a folder with a README, and every folder is a built-in', () => {
    assert.deepEqual(folders.map((d) => d.name).sort(), builtinPlugins.map((d) => d.name).sort());
  });
  for (const folder of folders) {
    const file = `src/plugins/${folder.name}/README.md`;
    const markdown = readFileSync(`${pluginsDir}${folder.name}/README.md`, 'utf8');
    it(`${file} has the house sections and at least one Corefile`, () => {
      for (const section of ['Name', 'Description', 'Syntax', 'Examples']) {
        assert.match(markdown, new RegExp(`^## ${section}$`, 'm'), `${file} lacks ## ${section}`);
      }
      assert.ok(corefileFences(markdown).length > 0, `${file} has no corefile fence`);
    });
    for (const fence of corefileFences(markdown)) {
      it(`${file}:${fence.line} loads and builds a server`, () => {
        const registry = createRegistry(builtinPlugins);
        const { blocks } = loadCorefile(fence.text, { file: `${file}:${fence.line}`, registry });
        assert.ok(blocks.length > 0);
        const server = createServer({ blocks });
        assert.equal(typeof server.exchange, 'function');
      });
    }
  }
});
