import type { PluginDefinition } from '../../corefile/types.js';
import { root } from './root.js';
import { parseRoot } from './setup.js';

export { root } from './root.js';

/** The `root` directive: `root PATH`. */
export const rootDefinition: PluginDefinition<string> = {
  name: 'root',
  once: true,
  parse: parseRoot,
  create: (path) => root(path),
};
