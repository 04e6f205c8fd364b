import type { PluginDefinition } from '../../corefile/types.js';
import { type LoopOptions, loop } from './loop.js';
import { parseLoop } from './setup.js';

export { type LoopDetected, type LoopOptions, loop } from './loop.js';

/** The `loop` directive: `loop`, once per block. */
export const loopDefinition: PluginDefinition<LoopOptions> = {
  name: 'loop',
  once: true,
  parse: parseLoop,
  create: loop,
};
