import type { PluginDefinition } from '../../corefile/types.js';
import { type ChaosOptions, chaos } from './chaos.js';
import { parseChaos } from './setup.js';

export { type ChaosOptions, chaos } from './chaos.js';

/** The `chaos` directive: `chaos [VERSION] [AUTHORS...]`. */
export const chaosDefinition: PluginDefinition<ChaosOptions> = {
  name: 'chaos',
  parse: parseChaos,
  create: chaos,
};
