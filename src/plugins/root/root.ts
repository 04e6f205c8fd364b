import type { Plugin } from '../../core/types.js';

/**
 * The `root` plugin: sets the directory that relative file names of the server block (`file`,
 * `auto`) are resolved against. It answers nothing; it only passes queries on.
 *
 * @example
 * ```ts
 * createServer({ plugins: [root('/etc/coredns/zones'), file({ path: 'db.example.org' })] });
 * ```
 */
export function root(path: string): Plugin {
  return {
    name: 'root',
    handle: (_ctx, next) => next(),
    // Runs before `file` and `auto` configure themselves: `root` comes first in the chain order.
    configure(block) {
      block.root = path;
    },
  };
}
