/**
 * dnskit's built-in plugins, one folder per Corefile directive. Each exports its factory (for
 * code) and its definition (for Corefiles); {@link builtinPlugins} lists the definitions.
 * @module
 */
import type { PluginDefinition } from '../corefile/types.js';
import { anyDefinition } from './any/index.js';
import { bindDefinition } from './bind/index.js';
import { chaosDefinition } from './chaos/index.js';
import { errorsDefinition } from './errors/index.js';
import { logDefinition } from './log/index.js';
import { minimalDefinition } from './minimal/index.js';
import { whoamiDefinition } from './whoami/index.js';

export { any, anyDefinition } from './any/index.js';
export {
  BindAddressError,
  type BindOptions,
  bind,
  bindDefinition,
  type InterfaceTable,
} from './bind/index.js';
export { type ChaosOptions, chaos, chaosDefinition } from './chaos/index.js';
export {
  type ConsolidateRule,
  type ErrorsLevel,
  type ErrorsOptions,
  type ErrorsTimers,
  errors,
  errorsDefinition,
} from './errors/index.js';
export {
  COMBINED_LOG_FORMAT,
  COMMON_LOG_FORMAT,
  type LogClass,
  type LogOptions,
  log,
  logDefinition,
} from './log/index.js';
export { minimal, minimalDefinition, minimizeResponse } from './minimal/index.js';
export { whoami, whoamiDefinition } from './whoami/index.js';

/** Every built-in directive, for the Corefile registry. */
export const builtinPlugins: readonly PluginDefinition[] = Object.freeze([
  bindDefinition,
  logDefinition,
  errorsDefinition,
  chaosDefinition,
  anyDefinition,
  minimalDefinition,
  whoamiDefinition,
]);
