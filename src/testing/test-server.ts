import { silentLogger } from '../core/logger.js';
import type { ServerOptions } from '../core/options.js';
import { createServer } from '../core/server.js';
import type { DnsServer, Middleware, Plugin } from '../core/types.js';

/** A plugin, or a bare middleware (named after its function, or `middleware#N`). */
export type TestPlugin = Plugin | Middleware;

function asPlugin(item: TestPlugin, index: number): Plugin {
  if (typeof item !== 'function') return item;
  return { name: item.name || `middleware#${index}`, handle: item };
}

/**
 * A server for in-process tests: it never listens; query it with `server.exchange()`. Logs are
 * silent unless options give a logger. Plugins start on the first exchange; call `close()` to
 * stop them when they hold resources.
 *
 * @example
 * ```ts
 * const server = testServer([(ctx) => ctx.reply({ rcode: 'NXDOMAIN' })]);
 * assertRcode(await server.exchange(query('example.org.')), 'NXDOMAIN');
 * ```
 */
export function testServer(setup: readonly TestPlugin[] | ServerOptions): DnsServer {
  if (Array.isArray(setup)) {
    return createServer({ plugins: (setup as readonly TestPlugin[]).map(asPlugin), logger: silentLogger });
  }
  const options = setup as ServerOptions;
  return createServer({ logger: silentLogger, ...options });
}
