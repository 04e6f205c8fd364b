import { compose } from './compose.js';
import type { ServerBlockOptions, ServerOptions } from './options.js';
import type { BlockSettings, Middleware, Plugin } from './types.js';
import { normalizeZones, ZoneRouter } from './zones.js';

/** A server block after defaults and the plugins' `configure` hooks. */
export interface ServerBlock {
  readonly zones: readonly string[];
  readonly port: number;
  readonly plugins: readonly Plugin[];
  readonly settings: Readonly<BlockSettings>;
  readonly chain: Middleware;
}

/** One socket pair (UDP and TCP) to open, and the blocks it routes to. */
export interface ListenerPlan {
  readonly port: number;
  readonly address: string;
  readonly router: ZoneRouter<ServerBlock>;
  /** The blocks the router serves. */
  readonly blocks: readonly ServerBlock[];
  /** Part of the default "every address" set: failing to bind it (no IPv6 here) is not fatal. */
  readonly optional: boolean;
}

/** Where a block listens when nothing says otherwise: every IPv4 and IPv6 address. */
export const wildcardAddresses: readonly string[] = ['0.0.0.0', '::'];

const defaultPort = 53;

function blockOptions(options: ServerOptions): readonly ServerBlockOptions[] {
  const shorthand =
    options.plugins !== undefined || options.zones !== undefined || options.listen !== undefined;
  if (options.blocks !== undefined) {
    if (shorthand)
      throw new Error('createServer: give either `blocks` or `zones`/`listen`/`plugins`, not both');
    return options.blocks;
  }
  const block: ServerBlockOptions = {
    plugins: options.plugins ?? [],
    ...(options.zones === undefined ? {} : { zones: options.zones }),
    ...(options.listen === undefined ? {} : { listen: options.listen }),
    ...(options.port === undefined ? {} : { port: options.port }),
  };
  return [block];
}

/**
 * Applies defaults and runs each plugin's `configure` hook once, in chain order, so plugins such
 * as `bind` can set where the block listens before any socket opens.
 */
export function resolveBlocks(options: ServerOptions): ServerBlock[] {
  return blockOptions(options).map((block) => {
    const settings: BlockSettings = { listen: [...(block.listen ?? [])], except: [] };
    for (const plugin of block.plugins) plugin.configure?.(settings);
    return {
      zones: normalizeZones(block.zones),
      port: block.port ?? options.port ?? defaultPort,
      plugins: block.plugins,
      settings,
      chain: compose(block.plugins.map((plugin) => plugin.handle)),
    };
  });
}

/** A router over every block on a port (for `exchange`); throws when a zone is served twice. */
export function portRouter(blocks: readonly ServerBlock[], port: number): ZoneRouter<ServerBlock> {
  return new ZoneRouter(blocks.filter((b) => b.port === port).map((b) => ({ zones: b.zones, target: b })));
}

function stripBrackets(address: string): string {
  return address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
}

function blockAddresses(block: ServerBlock): { addresses: string[]; optional: boolean } {
  const except = new Set(block.settings.except.map(stripBrackets));
  const explicit = block.settings.listen.length > 0;
  const listen = explicit ? block.settings.listen.map(stripBrackets) : wildcardAddresses;
  return { addresses: [...new Set(listen)].filter((a) => !except.has(a)), optional: !explicit };
}

/** Groups blocks by port and listen address: each pair gets a UDP and a TCP socket. */
export function planListeners(blocks: readonly ServerBlock[]): ListenerPlan[] {
  const groups = new Map<
    string,
    { port: number; address: string; optional: boolean; blocks: ServerBlock[] }
  >();
  for (const block of blocks) {
    const { addresses, optional } = blockAddresses(block);
    for (const address of addresses) {
      const key = `${block.port} ${address}`;
      const group = groups.get(key);
      if (group === undefined) groups.set(key, { port: block.port, address, optional, blocks: [block] });
      else group.blocks.push(block);
    }
  }
  return [...groups.values()].map(({ port, address, optional, blocks: members }) => ({
    port,
    address,
    optional,
    blocks: members,
    router: new ZoneRouter(members.map((b) => ({ zones: b.zones, target: b }))),
  }));
}
