import type { PluginDefinition } from '../../corefile/types.js';
import { type ReadyOptions, ready } from './ready.js';
import { parseReady } from './setup.js';

export { type ReadyMonitor, type ReadyOptions, type ReadyPlugin, ready } from './ready.js';

/** The `ready` directive: `ready [ADDRESS] { monitor until-ready|continuously }`, once per block. */
export const readyDefinition: PluginDefinition<ReadyOptions> = {
  name: 'ready',
  once: true,
  parse: parseReady,
  create: ready,
};
