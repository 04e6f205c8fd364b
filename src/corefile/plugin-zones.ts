import { type Fallthrough, fallthroughAll } from '../core/fallthrough.js';
import { normalizeZone } from './address.js';
import { parseCidr, reverseZones } from './reverse.js';
import type { DirectiveLine, DirectiveTokens, Token } from './types.js';

/**
 * The zones a plugin serves, from its arguments, or the server block's zones when it names none
 * (CoreDNS's `OriginsFromArgsOrServerBlock`). A CIDR argument becomes its reverse zones
 * (`10.0.0.0/8` -> `10.in-addr.arpa.`), as in server block keys.
 */
export function pluginZones(directive: DirectiveTokens, args: readonly Token[] = directive.args): string[] {
  if (args.length === 0) return [...directive.serverBlock.zones];
  return args.flatMap((arg) => zoneArgument(directive, arg));
}

/** One zone argument: a name or a CIDR; anything with a port or scheme is an error. */
export function zoneArgument(directive: DirectiveTokens, arg: Token): string[] {
  if (arg.text.includes('/')) {
    const network = parseCidr(arg.text);
    if (network === undefined) throw directive.error(`not a valid zone or CIDR: '${arg.text}'`, arg);
    return reverseZones(network);
  }
  if (arg.text.includes(':') || arg.text.trim() === '') {
    throw directive.error(`not a valid zone: '${arg.text}'`, arg);
  }
  return [normalizeZone(arg.text)];
}

/**
 * A plugin's `fallthrough [ZONES...]` line: no zones means every name; zones may be CIDRs.
 * Plugins call this for the line inside their block.
 */
export function fallthroughFrom(directive: DirectiveTokens, line: DirectiveLine): Fallthrough {
  if (line.args.length === 0) return fallthroughAll;
  return { zones: line.args.flatMap((arg) => zoneArgument(directive, arg)) };
}
