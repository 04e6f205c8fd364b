import type { PluginDefinition } from '../../corefile/types.js';
import { minimal } from './minimal.js';
import { parseMinimal } from './setup.js';

export { minimal, minimizeResponse } from './minimal.js';

/** The `minimal` directive: `minimal`, no arguments. */
export const minimalDefinition: PluginDefinition<undefined> = {
  name: 'minimal',
  parse: parseMinimal,
  create: () => minimal(),
};
