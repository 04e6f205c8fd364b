import type { PluginDefinition } from '../../corefile/types.js';
import { type AutopathOptions, autopath } from './autopath.js';
import { parseAutopath } from './setup.js';

export { type AutoPather, type AutopathOptions, autopath } from './autopath.js';

/** The `autopath` directive: `autopath [ZONE...] RESOLV-CONF|@PLUGIN`. */
export const autopathDefinition: PluginDefinition<AutopathOptions> = {
  name: 'autopath',
  parse: parseAutopath,
  create: autopath,
};
