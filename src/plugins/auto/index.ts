import type { PluginDefinition } from '../../corefile/types.js';
import { type AutoOptions, auto } from './auto.js';
import { parseAuto } from './setup.js';

export { type AutoOptions, type AutoPlugin, auto } from './auto.js';

/** The `auto` directive: `auto [ZONES...] { directory DIR [REGEXP TEMPLATE]; reload DURATION }`. */
export const autoDefinition: PluginDefinition<AutoOptions> = {
  name: 'auto',
  parse: parseAuto,
  create: (options) => auto(options),
};
