import type { PluginDefinition } from '../../corefile/types.js';
import { type ErrorsOptions, errors } from './errors.js';
import { parseErrors } from './setup.js';

export type { ConsolidateRule, ErrorsLevel, ErrorsTimers } from './consolidate.js';
export { type ErrorsOptions, errors } from './errors.js';

/** The `errors` directive: `errors { stacktrace; consolidate DURATION REGEXP [LEVEL] [show_first] }`, once per block. */
export const errorsDefinition: PluginDefinition<ErrorsOptions> = {
  name: 'errors',
  once: true,
  parse: parseErrors,
  create: errors,
};
