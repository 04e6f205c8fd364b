import type { PluginDefinition } from '../../corefile/types.js';
import { any } from './any.js';
import { parseAny } from './setup.js';

export { any } from './any.js';

/** The `any` directive: `any`, no arguments. */
export const anyDefinition: PluginDefinition<undefined> = {
  name: 'any',
  parse: parseAny,
  create: () => any(),
};
