import type { PluginDefinition } from '../../corefile/types.js';
import { type SecondaryOptions, secondary } from './secondary.js';
import { parseSecondary } from './setup.js';

export { primarySerial, transferIn } from './client.js';
export { type SecondaryOptions, type SecondaryPlugin, type SecondaryTimers, secondary } from './secondary.js';

/** The `secondary` directive. */
export const secondaryDefinition: PluginDefinition<SecondaryOptions> = {
  name: 'secondary',
  parse: parseSecondary,
  create: (options) => secondary(options),
};
