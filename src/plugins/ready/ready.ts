import type { AddressInfo } from 'node:net';
import type { Logger, Plugin, PluginEnv } from '../../core/types.js';
import { type HttpRoute, serveHttp, writeText } from '../../metrics/http-endpoint.js';

/**
 * `until-ready` (CoreDNS's default): once a plugin has been ready it is not asked again.
 * `continuously`: every request asks every plugin.
 */
export type ReadyMonitor = 'until-ready' | 'continuously';

/** Options of {@link ready}. */
export interface ReadyOptions {
  /** Where `/ready` is served; default `:8181` (every address). Port 0 picks a free port. */
  readonly address?: string;
  readonly monitor?: ReadyMonitor;
}

/** The `ready` plugin, with the bound address for tests and embedders. */
export interface ReadyPlugin extends Plugin {
  /** The address `/ready` is served on once started (the real port when 0 was asked). */
  address(): AddressInfo | undefined;
}

/** The plugins one `ready` instance watches: those of its server block that report readiness. */
interface Watch {
  readonly plugins: readonly Plugin[];
  /** Plugins already seen ready (skipped afterwards in `until-ready` mode). */
  readonly done: Set<Plugin>;
  readonly monitor: ReadyMonitor;
  shuttingDown: boolean;
}

/** Process wide, as CoreDNS's list: every `ready` endpoint reports on every watched plugin. */
const watches = new Set<Watch>();

/** The names of the plugins not ready yet, sorted, as CoreDNS prints them. */
export function notReadyPlugins(): string[] {
  const names: string[] = [];
  for (const watch of watches) {
    for (const plugin of watch.plugins) {
      if (watch.done.has(plugin)) continue;
      if (plugin.ready?.() === true) {
        if (watch.monitor === 'until-ready') watch.done.add(plugin);
      } else names.push(plugin.name);
    }
  }
  return names.sort();
}

function answer(logger: Logger): Parameters<typeof serveHttp>[2] {
  return (_request, response) => {
    if ([...watches].some((w) => w.shuttingDown)) {
      writeText(response, 503, 'Shutting down');
      return;
    }
    const todo = notReadyPlugins().join(',');
    if (todo === '') {
      writeText(response, 200, 'OK');
      return;
    }
    logger.info(`plugin/ready: Plugins not ready: "${todo}"`);
    writeText(response, 503, todo);
  };
}

/**
 * A readiness endpoint, as CoreDNS's *ready*: `GET /ready` answers `200 OK` once every plugin that
 * reports readiness (`plugin.ready()`), in every server block of the process that has `ready`, is
 * ready; until then `503` with their names, comma separated. While the server shuts down (during
 * health's lameduck) it answers `503 Shutting down`.
 */
export function ready(options: ReadyOptions = {}): ReadyPlugin {
  const address = options.address ?? ':8181';
  let route: HttpRoute | undefined;
  let watch: Watch | undefined;
  return {
    name: 'ready',
    handle: (_ctx, next) => next(),
    async start(env: PluginEnv) {
      const plugins = env.chain.filter((p) => p.ready !== undefined);
      watch = { plugins, done: new Set(), monitor: options.monitor ?? 'until-ready', shuttingDown: false };
      watches.add(watch);
      try {
        route = await serveHttp(address, '/ready', answer(env.logger));
      } catch (error) {
        watches.delete(watch);
        throw error;
      }
    },
    shutdown() {
      if (watch !== undefined) watch.shuttingDown = true;
    },
    async stop() {
      if (watch !== undefined) watches.delete(watch);
      watch = undefined;
      const current = route;
      route = undefined;
      await current?.release();
    },
    address: () => route?.bound,
  };
}
