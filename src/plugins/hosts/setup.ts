import type { Fallthrough } from '../../core/fallthrough.js';
import { fallthroughFrom, pluginZones } from '../../corefile/plugin-zones.js';
import type { DirectiveLine, DirectiveTokens, Token } from '../../corefile/types.js';
import { parseDuration } from '../../plugin-kit/duration.js';
import type { HostsOptions } from './hosts.js';

interface BlockState {
  ttl?: number;
  reloadMs?: number;
  reverse?: boolean;
  fallthrough?: Fallthrough;
  unsupported?: Token;
  readonly inline: string[];
}

function parseTtl(directive: DirectiveTokens, line: DirectiveLine): number {
  const value = line.args[0];
  if (value === undefined) throw directive.error('ttl needs a time in second', line.name);
  if (!/^[+-]?\d+$/.test(value.text)) throw directive.error('ttl needs a number of second', value);
  const ttl = Number(value.text);
  if (ttl <= 0 || ttl > 65535) throw directive.error('ttl provided is invalid', value);
  return ttl;
}

function parseReload(directive: DirectiveTokens, line: DirectiveLine): number {
  const [value, extra] = line.args;
  if (value === undefined || extra !== undefined) {
    throw directive.error('reload needs a duration (zero seconds to disable)', extra ?? line.name);
  }
  const ms = parseDuration(value.text);
  if (ms === undefined) throw directive.error(`invalid duration for reload '${value.text}'`, value);
  if (ms < 0) throw directive.error(`invalid negative duration for reload '${value.text}'`, value);
  return ms;
}

function blockLine(directive: DirectiveTokens, line: DirectiveLine, state: BlockState): void {
  switch (line.name.text) {
    case 'fallthrough':
      state.fallthrough = fallthroughFrom(directive, line);
      return;
    case 'fallthrough_unsupported':
      state.unsupported = line.name;
      return;
    case 'no_reverse':
      state.reverse = false;
      return;
    case 'ttl':
      state.ttl = parseTtl(directive, line);
      return;
    case 'reload':
      state.reloadMs = parseReload(directive, line);
      return;
    default:
      // Before any `fallthrough`, an unknown line is a hosts(5) entry written inline.
      if (state.fallthrough !== undefined) {
        throw directive.error(`unknown property '${line.name.text}'`, line.name);
      }
      state.inline.push([line.name, ...line.args].map((token) => token.text).join(' '));
  }
}

/**
 * `hosts [FILE [ZONES...]] { [INLINE]; ttl SECONDS; no_reverse; reload DURATION;
 * fallthrough [ZONES...]; fallthrough_unsupported }`.
 */
export function parseHosts(directive: DirectiveTokens): HostsOptions {
  const [file, ...zoneArgs] = directive.args;
  const state: BlockState = { inline: [] };
  for (const line of directive.block) blockLine(directive, line, state);
  if (state.unsupported !== undefined && state.fallthrough === undefined) {
    throw directive.error('fallthrough_unsupported requires fallthrough', state.unsupported);
  }
  return {
    zones: pluginZones(directive, zoneArgs),
    ...(file === undefined ? {} : { path: file.text }),
    ...(state.inline.length === 0 ? {} : { inline: state.inline.join('\n') }),
    ...(state.ttl === undefined ? {} : { ttl: state.ttl }),
    ...(state.reloadMs === undefined ? {} : { reloadMs: state.reloadMs }),
    ...(state.reverse === undefined ? {} : { reverse: state.reverse }),
    ...(state.fallthrough === undefined ? {} : { fallthrough: state.fallthrough }),
    ...(state.unsupported === undefined ? {} : { fallthroughUnsupported: true }),
  };
}
