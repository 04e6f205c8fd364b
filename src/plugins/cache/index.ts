import type { PluginDefinition } from '../../corefile/types.js';
import { cache } from './cache.js';
import type { CacheOptions } from './options.js';
import { parseCache } from './setup.js';

export { cache } from './cache.js';
export type { CacheClock, CacheOptions, CacheTierOptions } from './options.js';

/** The `cache` directive: `cache [TTL] [ZONES...] { ... }`, once per server block. */
export const cacheDefinition: PluginDefinition<CacheOptions> = {
  name: 'cache',
  once: true,
  parse: parseCache,
  create: cache,
};
