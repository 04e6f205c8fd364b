import type { PluginDefinition } from '../../corefile/types.js';
import { type LogOptions, log } from './log.js';
import { parseLog } from './setup.js';

export { COMBINED_LOG_FORMAT, COMMON_LOG_FORMAT } from './format.js';
export { type LogClass, type LogOptions, log } from './log.js';

/** The `log` directive: `log [NAMES...] [FORMAT] { class CLASSES...; minDuration [DURATION] }`. */
export const logDefinition: PluginDefinition<readonly LogOptions[]> = {
  name: 'log',
  parse: (directive) => [parseLog(directive)],
  // CoreDNS merges a block's log lines into one plugin with one rule per line.
  combine: (lines) => lines.flat(),
  create: log,
};
