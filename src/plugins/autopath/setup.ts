import { readFileSync } from 'node:fs';
import { pluginZones } from '../../corefile/plugin-zones.js';
import type { DirectiveTokens } from '../../corefile/types.js';
import { parseResolvConf } from '../../plugin-kit/resolv-conf.js';
import type { AutopathOptions } from './autopath.js';

/**
 * `autopath [ZONE...] RESOLV-CONF`: the last argument is a resolv.conf file (its `search` line)
 * or `@plugin` (`@kubernetes`); the others are zones (default: the server block's).
 */
export function parseAutopath(directive: DirectiveTokens): AutopathOptions {
  const blockLine = directive.block[0];
  if (blockLine !== undefined) throw directive.argError(blockLine.name);
  const last = directive.args.at(-1);
  if (last === undefined) throw directive.error('no resolv-conf specified');
  const zoneArgs = directive.args.slice(0, -1);
  const zones = pluginZones(directive, zoneArgs);
  if (last.text.startsWith('@')) return { zones, plugin: last.text.slice(1) };
  let text: string;
  try {
    text = readFileSync(last.text, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw directive.error(`failed to parse "${last.text}": ${reason}`, last);
  }
  return { zones, search: parseResolvConf(text).search };
}
