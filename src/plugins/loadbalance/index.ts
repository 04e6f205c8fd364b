import type { PluginDefinition } from '../../corefile/types.js';
import { type LoadbalanceOptions, loadbalance } from './loadbalance.js';
import { parseLoadbalance } from './setup.js';

export {
  type LoadbalanceOptions,
  loadbalance,
  type RandomSource,
  shuffleResponse,
} from './loadbalance.js';

/** The `loadbalance` directive: `loadbalance [round_robin]`. */
export const loadbalanceDefinition: PluginDefinition<LoadbalanceOptions> = {
  name: 'loadbalance',
  parse: parseLoadbalance,
  create: loadbalance,
};
