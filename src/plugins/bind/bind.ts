import { networkInterfaces } from 'node:os';
import type { BlockSettings, DnsContext, Next, Plugin } from '../../core/types.js';
import { type InterfaceTable, resolveBindTargets } from './interfaces.js';

/** Options of {@link bind}. */
export interface BindOptions {
  /** IP addresses or interface names to listen on (at least one). */
  readonly addresses: readonly string[];
  /** Addresses or interface names to leave out (bind's `except`). */
  readonly except?: readonly string[];
  /** Where interface names are looked up; default `os.networkInterfaces()`. For tests. */
  readonly interfaces?: () => InterfaceTable;
}

function passOn(_ctx: DnsContext, next: Next): Promise<void> {
  return next();
}

function appendNew(target: string[], items: readonly string[]): void {
  for (const item of items) if (!target.includes(item)) target.push(item);
}

/**
 * The `bind` plugin: restricts the addresses the server block listens on. Interface names are
 * resolved when the server is built. Several `bind` plugins in one block add up, as in CoreDNS.
 * Its middleware only passes queries on.
 *
 * @throws {@link BindAddressError} from `configure` when an argument is neither an IP address nor
 * an interface name.
 *
 * @example
 * ```ts
 * const server = createServer({ plugins: [bind({ addresses: ['127.0.0.1', '::1'] }), whoami()] });
 * ```
 */
export function bind(options: BindOptions): Plugin {
  const lookup = options.interfaces ?? (networkInterfaces as () => InterfaceTable);
  return {
    name: 'bind',
    handle: passOn,
    configure(block: BlockSettings): void {
      const table = lookup();
      const listen = resolveBindTargets(options.addresses, table);
      const except = resolveBindTargets(options.except ?? [], table);
      appendNew(block.listen, listen);
      appendNew(block.except, except);
    },
  };
}
