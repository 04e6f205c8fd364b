import type { DirectiveTokens } from '../../corefile/types.js';
import { parseAddress } from '../health/setup.js';
import type { ReadyMonitor, ReadyOptions } from './ready.js';

const monitors: readonly string[] = ['until-ready', 'continuously'];

/** `ready [ADDRESS] { monitor until-ready|continuously }`. */
export function parseReady(directive: DirectiveTokens): ReadyOptions {
  const [first, second] = directive.args;
  if (second !== undefined) throw directive.argError(second);
  let monitor: ReadyMonitor | undefined;
  for (const line of directive.block) {
    if (line.name.text !== 'monitor') {
      throw directive.error(`unknown property '${line.name.text}'`, line.name);
    }
    const [value, extra] = line.args;
    if (value === undefined || extra !== undefined || line.block.length > 0) {
      throw directive.argError(extra ?? line.name);
    }
    if (!monitors.includes(value.text)) {
      throw directive.error(`monitor type '${value.text}' not supported`, value);
    }
    monitor = value.text as ReadyMonitor;
  }
  return {
    ...(first === undefined ? {} : { address: parseAddress(directive, first) }),
    ...(monitor === undefined ? {} : { monitor }),
  };
}
