import type { PluginDefinition } from '../../corefile/types.js';
import { type LogOptions, log } from './log.js';
import { parseLog } from './setup.js';

export { COMBINED_LOG_FORMAT, COMMON_LOG_FORMAT } from './format.js';
export { type LogClass, type LogOptions, log } from './log.js';

/** The `log` directive: `log [NAMES...] [FORMAT] { class CLASSES...; minDuration [DURATION] }`. */
export const logDefinition: PluginDefinition<LogOptions> = {
  name: 'log',
  parse: parseLog,
  create: log,
};
