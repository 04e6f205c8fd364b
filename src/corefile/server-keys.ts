import { parseServerKey, servedTransports } from './address.js';
import { CorefileError } from './errors.js';
import type { ParsedServerBlock } from './parser.js';
import type { Token } from './types.js';

/** One zone of a block on one port, with the key it came from. */
export interface BlockZone {
  readonly zone: string;
  readonly port: number;
  readonly key: Token;
}

/** A block's zones, from its keys; throws a located error for a bad key or an unserved transport. */
export function blockZones(block: ParsedServerBlock, defaultPort: number): BlockZone[] {
  return block.keys.flatMap((key) => {
    let address: ReturnType<typeof parseServerKey>;
    try {
      address = parseServerKey(key.text, defaultPort);
    } catch (error) {
      throw new CorefileError(key, (error as Error).message);
    }
    if (!servedTransports.includes(address.transport)) {
      throw new CorefileError(
        key,
        `transport '${address.transport}://' of '${key.text}' is not supported by dnskit yet; only dns:// is served`,
      );
    }
    return address.zones.map((zone) => ({ zone, port: address.port, key }));
  });
}

/** The block's zones grouped by port, in first-seen order. */
export function groupByPort(zones: readonly BlockZone[]): { port: number; zones: string[] }[] {
  const groups = new Map<number, string[]>();
  for (const { zone, port } of zones) groups.set(port, [...(groups.get(port) ?? []), zone]);
  return [...groups].map(([port, list]) => ({ port, zones: list }));
}

interface Claim extends BlockZone {
  /** The block's `bind` arguments, as written; empty means every address. */
  readonly binds: readonly string[];
}

function describe(claim: Claim, address?: string): string {
  const base = `dns://${claim.zone}:${claim.port}`;
  return address === undefined ? base : `${base} on ${address}`;
}

function conflict(later: Claim, earlier: Claim): string | undefined {
  if (later.binds.length === 0 && earlier.binds.length === 0) {
    return `cannot serve ${describe(later)} - it is already defined`;
  }
  if (later.binds.length === 0) {
    return `cannot serve ${describe(later)} - zone overlap listener capacity with ${describe(earlier, earlier.binds[0])}`;
  }
  if (earlier.binds.length === 0) {
    return `cannot serve ${describe(later, later.binds[0])} - zone overlap listener capacity with ${describe(earlier)}`;
  }
  const shared = later.binds.find((address) => earlier.binds.includes(address));
  return shared === undefined ? undefined : `cannot serve ${describe(later, shared)} - it is already defined`;
}

/** The literal arguments of the block's `bind` lines (the bind plugin resolves them later). */
export function bindArguments(block: ParsedServerBlock): string[] {
  return block.directives.filter((d) => d.name.text === 'bind').flatMap((d) => d.args.map((a) => a.text));
}

/**
 * CoreDNS refuses the same zone twice on one port and listen address. `bind` arguments are
 * compared as written, since interfaces are only resolved when the server is built.
 */
export function checkDuplicateZones(
  blocks: readonly { zones: readonly BlockZone[]; binds: readonly string[] }[],
): void {
  const seen: Claim[] = [];
  for (const block of blocks) {
    for (const zone of block.zones) {
      const claim: Claim = { ...zone, binds: block.binds };
      for (const earlier of seen) {
        if (earlier.zone !== claim.zone || earlier.port !== claim.port) continue;
        const message = conflict(claim, earlier);
        if (message !== undefined) throw new CorefileError(claim.key, message);
      }
      seen.push(claim);
    }
  }
}
