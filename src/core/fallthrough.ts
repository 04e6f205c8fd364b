import { normalizeName } from '../wire/index.js';
import { matchZone } from './zones.js';

/**
 * A plugin's `fallthrough [ZONES...]` setting: for which names a plugin that has no answer passes
 * the query down the chain instead of answering NXDOMAIN (CoreDNS `plugin/pkg/fall`).
 */
export interface Fallthrough {
  /** Normalised zones; empty means never fall through, `['.']` means every name. */
  readonly zones: readonly string[];
}

/** No fallthrough: the plugin answers authoritatively for everything it owns. */
export const noFallthrough: Fallthrough = Object.freeze({ zones: Object.freeze([]) });

/** Fallthrough for every name (`fallthrough` written without zones). */
export const fallthroughAll: Fallthrough = Object.freeze({ zones: Object.freeze(['.']) });

/**
 * Reads the arguments of a `fallthrough` line: none means every name, otherwise only names in the
 * listed zones.
 *
 * @example
 * ```ts
 * parseFallthrough([]); // { zones: ['.'] }
 * parseFallthrough(['Example.org']); // { zones: ['example.org.'] }
 * ```
 */
export function parseFallthrough(args: readonly string[]): Fallthrough {
  if (args.length === 0) return fallthroughAll;
  return { zones: args.map((zone) => normalizeName(zone)) };
}

/** True when a query for `name` should fall through to the next plugin. */
export function fallsThrough(fallthrough: Fallthrough, name: string): boolean {
  const zones = fallthrough.zones;
  if (zones.length === 0) return false;
  return matchZone(zones, normalizeName(name)) !== undefined;
}
