import { isAbsolute, join } from 'node:path';
import { type Fallthrough, fallsThrough, noFallthrough } from '../../core/fallthrough.js';
import type { DnsContext, Logger, Next, Plugin, PluginEnv } from '../../core/types.js';
import { matchZone } from '../../core/zones.js';
import { normalizeName } from '../../wire/index.js';
import type { ZoneFileReader } from '../../zone/parser/load.js';
import { createZoneStore } from '../../zone/store.js';
import type { ZoneProvider, ZoneSource, ZoneStore } from '../../zone/types.js';
import { ZoneFileWatcher } from '../../zone/watch.js';

/** Options of the {@link file} plugin. */
export interface FileOptions {
  /** The master file; relative paths are resolved against {@link FileOptions.root}, else the block's `root`. */
  readonly path: string;
  /** The origins to load the file as; default the server block's zones. */
  readonly zones?: readonly string[];
  /** Poll interval in ms; 0 disables reloading. Default 60 000 (CoreDNS's 1m). */
  readonly reloadMs?: number;
  /** Reload on any change of the file, not only a higher SOA serial (`reload_by_mtime`). */
  readonly reloadByMtime?: boolean;
  /** Names for which NXDOMAIN passes the query on instead. */
  readonly fallthrough?: Fallthrough;
  readonly root?: string;
  /** Reads the zone file and its `$INCLUDE`s (for tests); default the file system. */
  readonly readFile?: ZoneFileReader;
}

/** The `file` plugin object: a {@link Plugin} that is also a {@link ZoneProvider}. */
export interface FilePlugin extends Plugin, ZoneProvider {
  /** Polls the file once now (what the timer does); resolves when done. */
  reload(): void;
}

/** The watcher of every origin, and the store that answers. */
class FileZones {
  readonly store: ZoneStore = createZoneStore();
  watchers: ZoneFileWatcher[] = [];
  timer: NodeJS.Timeout | undefined;
  logger: Logger | undefined;

  start(path: string, origins: readonly string[], options: FileOptions, env: PluginEnv): void {
    this.logger = env.logger;
    this.watchers = origins.map(
      (origin) =>
        new ZoneFileWatcher({ path, origin, byMtime: options.reloadByMtime ?? false, ...readerOf(options) }),
    );
    const reloadMs = options.reloadMs ?? 60_000;
    for (const watcher of this.watchers) {
      try {
        this.store.set(watcher.options.origin, watcher.load());
      } catch (error) {
        // CoreDNS: an unreadable file with reloading on is retried; a broken one is fatal.
        if (reloadMs === 0 || !(error as Error).message.includes('cannot read')) throw error;
        env.logger.warn(`plugin/file: ${(error as Error).message}: trying again in ${reloadMs}ms`);
      }
    }
    if (reloadMs > 0) {
      this.timer = setInterval(() => this.reload(), reloadMs);
      this.timer.unref();
    }
  }

  reload(): void {
    for (const watcher of this.watchers) {
      const result = watcher.check();
      const origin = watcher.options.origin;
      if (result.kind === 'failed')
        this.logger?.error(`plugin/file: zone ${origin}: ${result.error.message}`);
      if (result.kind === 'reloaded') {
        this.store.set(origin, result.zone);
        this.logger?.info(
          `plugin/file: reloaded zone ${origin} from ${watcher.options.path} with serial ${result.zone.serial}`,
        );
      }
    }
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}

function readerOf(options: FileOptions): { readFile?: ZoneFileReader } {
  return options.readFile === undefined ? {} : { readFile: options.readFile };
}

/** Answers from the store: NXDOMAIN falls through when configured; a zone that never loaded is SERVFAIL. */
function answer(ctx: DnsContext, next: Next, origins: readonly string[], zones: FileZones, ft: Fallthrough) {
  const name = ctx.question.name;
  const origin = matchZone(origins, name);
  if (origin === undefined) return next();
  const zone = zones.store.get(origin);
  if (zone === undefined) return ctx.fail('SERVFAIL', `zone ${origin} is not loaded`);
  // The request's OPT directly: `ctx.edns` builds an object on first use.
  const result = zone.lookup(name, ctx.question.type, {
    rawName: ctx.rawName,
    do: ctx.request.edns?.do === true,
  });
  if (result.rcode === 'NXDOMAIN' && fallsThrough(ft, name)) return next();
  ctx.reply(result);
}

/**
 * The `file` plugin: serves zones from an RFC 1035 master file, as an authoritative server
 * (see `docs/zones.md`), reloading it when it changes with a higher SOA serial.
 *
 * @example
 * ```ts
 * createServer({ zones: ['example.org.'], plugins: [file({ path: 'db.example.org' })] });
 * ```
 */
export function file(options: FileOptions): FilePlugin {
  const zones = new FileZones();
  let origins: readonly string[] = (options.zones ?? []).map((zone) => normalizeName(zone));
  let blockRoot: string | undefined;
  const fallthrough = options.fallthrough ?? noFallthrough;
  return {
    name: 'file',
    handle: (ctx, next) => answer(ctx, next, origins, zones, fallthrough),
    configure(block) {
      blockRoot = block.root;
    },
    start(env) {
      if (origins.length === 0) origins = env.zones;
      const base = options.root ?? blockRoot;
      const path = isAbsolute(options.path) || base === undefined ? options.path : join(base, options.path);
      zones.start(path, origins, options, env);
    },
    stop: () => zones.stop(),
    reload: () => zones.reload(),
    zones: (): ZoneSource => zones.store,
  };
}
