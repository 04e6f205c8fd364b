import { fallthroughFrom, pluginZones } from '../../corefile/plugin-zones.js';
import type { DirectiveLine, DirectiveTokens } from '../../corefile/types.js';
import { parseDuration } from '../../plugin-kit/duration.js';
import type { FileOptions } from './file.js';

/** `reload DURATION` (a Go duration; 0 disables), shared with `auto`. */
export function parseReload(directive: DirectiveTokens, line: DirectiveLine): number {
  const [value, extra] = line.args;
  if (value === undefined) throw directive.error('reload duration value is expected', line.name);
  if (extra !== undefined) throw directive.argError(extra);
  const ms = parseDuration(value.text);
  if (ms === undefined || ms < 0) throw directive.error(`invalid duration '${value.text}'`, value);
  return ms;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function parseLine(directive: DirectiveTokens, line: DirectiveLine, options: Mutable<FileOptions>): void {
  if (line.block.length > 0) throw directive.argError(line.name);
  switch (line.name.text) {
    case 'fallthrough':
      options.fallthrough = fallthroughFrom(directive, line);
      return;
    case 'reload':
      options.reloadMs = parseReload(directive, line);
      return;
    case 'reload_by_mtime':
      if (line.args[0] !== undefined) throw directive.argError(line.args[0]);
      options.reloadByMtime = true;
      return;
    case 'upstream':
      // Accepted and ignored, as CoreDNS does ("remove soon").
      return;
    default:
      throw directive.error(`unknown property '${line.name.text}'`, line.name);
  }
}

/** `file DBFILE [ZONES...] { fallthrough [ZONES...]; reload DURATION; reload_by_mtime }`. */
export function parseFile(directive: DirectiveTokens): FileOptions {
  const [path, ...zoneArgs] = directive.args;
  if (path === undefined) throw directive.argError(directive.name);
  const options: Mutable<FileOptions> = { path: path.text, zones: pluginZones(directive, zoneArgs) };
  for (const line of directive.block) parseLine(directive, line, options);
  return options;
}
