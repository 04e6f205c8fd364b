import type { DirectiveTokens, PluginDefinition } from '../../corefile/types.js';
import { type BindOptions, bind } from './bind.js';
import { parseBind } from './setup.js';

export { type BindOptions, bind } from './bind.js';
export { BindAddressError, type InterfaceTable } from './interfaces.js';

/** The `bind` directive: `bind ADDRESS|INTERFACE... { except ADDRESS|INTERFACE... }`. */
export const bindDefinition: PluginDefinition<BindOptions> = {
  name: 'bind',
  parse: (directive: DirectiveTokens) => parseBind(directive),
  create: bind,
};
