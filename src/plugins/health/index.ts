import type { PluginDefinition } from '../../corefile/types.js';
import { type HealthOptions, health } from './health.js';
import { parseHealth } from './setup.js';

export { type HealthOptions, type HealthPlugin, health } from './health.js';

/** The `health` directive: `health [ADDRESS] { lameduck DURATION }`. */
export const healthDefinition: PluginDefinition<HealthOptions> = {
  name: 'health',
  parse: parseHealth,
  create: health,
};
