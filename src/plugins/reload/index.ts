import type { PluginDefinition } from '../../corefile/types.js';
import { type ReloadOptions, reload } from './reload.js';
import { parseReload } from './setup.js';

export { corefileHash, type ReloadOptions, reload } from './reload.js';
export { type ReloadSource, reloadSource, setReloadSource } from './source.js';

/** The `reload` directive: `reload [INTERVAL] [JITTER]`, once per block. */
export const reloadDefinition: PluginDefinition<ReloadOptions> = {
  name: 'reload',
  once: true,
  parse: parseReload,
  create: reload,
};
