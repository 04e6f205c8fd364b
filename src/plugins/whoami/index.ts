import type { PluginDefinition } from '../../corefile/types.js';
import { parseWhoami } from './setup.js';
import { whoami } from './whoami.js';

export { whoami } from './whoami.js';

/** The `whoami` directive: `whoami`, no arguments. */
export const whoamiDefinition: PluginDefinition<undefined> = {
  name: 'whoami',
  parse: parseWhoami,
  create: () => whoami(),
};
