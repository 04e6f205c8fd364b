import { readdirSync, statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import type { DnsContext, Logger, Next, Plugin, PluginEnv } from '../../core/types.js';
import { matchZone } from '../../core/zones.js';
import { normalizeName } from '../../wire/index.js';
import { createZoneStore } from '../../zone/store.js';
import type { ZoneProvider, ZoneSource, ZoneStore } from '../../zone/types.js';
import { ZoneFileWatcher } from '../../zone/watch.js';

/** Options of the {@link auto} plugin. */
export interface AutoOptions {
  /** Directory scanned (recursively) for zone files; relative to {@link AutoOptions.root} or the block's `root`. */
  readonly directory: string;
  /** Matched against each file's base name; default `db\.(.*)`. Needs a capture group. */
  readonly pattern?: RegExp;
  /** The origin from the match: `{N}` is capture group N; default `{1}`. */
  readonly template?: string;
  /** Only origins inside these zones are loaded; default the server block's zones. */
  readonly zones?: readonly string[];
  /** Rescan interval in ms; 0 scans only at start. Default 60 000. */
  readonly reloadMs?: number;
  readonly root?: string;
}

/** The `auto` plugin object: a {@link Plugin} that is also a {@link ZoneProvider}. */
export interface AutoPlugin extends Plugin, ZoneProvider {
  /** Scans the directory once now (what the timer does). */
  scan(): void;
}

/** Files under `directory`, recursively, as CoreDNS's `filepath.Walk` visits them. */
function listFiles(directory: string): string[] {
  return (readdirSync(directory, { recursive: true }) as string[])
    .map((entry) => join(directory, entry))
    .filter((path) => {
      try {
        return statSync(path).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}

/** The origin named by a file, or undefined when the name does not match. */
export function originFor(path: string, pattern: RegExp, template: string): string | undefined {
  const match = pattern.exec(basename(path));
  if (match === null) return undefined;
  const expanded = template.replace(/\{(\d+)\}/g, (_all, group: string) => match[Number(group)] ?? '');
  try {
    return normalizeName(expanded);
  } catch {
    return undefined;
  }
}

class AutoZones {
  readonly store: ZoneStore = createZoneStore();
  private readonly watchers = new Map<string, ZoneFileWatcher>();
  directory = '';
  zones: readonly string[] = [];
  logger: Logger | undefined;

  constructor(private readonly options: AutoOptions) {}

  scan(): void {
    let files: string[];
    try {
      files = listFiles(this.directory);
    } catch (error) {
      this.logger?.warn(`plugin/auto: cannot read directory ${this.directory}: ${(error as Error).message}`);
      return;
    }
    const seen = new Set<string>();
    for (const path of files) {
      const origin = originFor(path, this.options.pattern ?? /db\.(.*)/, this.options.template ?? '{1}');
      if (origin === undefined || matchZone(this.zones, origin) === undefined || seen.has(origin)) continue;
      seen.add(origin);
      this.update(origin, path);
    }
    for (const origin of [...this.watchers.keys()]) {
      if (seen.has(origin)) continue;
      this.watchers.delete(origin);
      this.store.delete(origin);
      this.logger?.info(`plugin/auto: removed zone ${origin}`);
    }
  }

  private update(origin: string, path: string): void {
    let watcher = this.watchers.get(origin);
    if (watcher === undefined || watcher.options.path !== path) {
      watcher = new ZoneFileWatcher({ path, origin });
      this.watchers.set(origin, watcher);
    }
    const result = watcher.check();
    if (result.kind === 'failed') this.logger?.error(`plugin/auto: zone ${origin}: ${result.error.message}`);
    if (result.kind === 'reloaded') {
      this.store.set(origin, result.zone);
      this.logger?.info(`plugin/auto: loaded zone ${origin} from ${path} with serial ${result.zone.serial}`);
    }
  }
}

function answer(ctx: DnsContext, next: Next, zones: AutoZones): Promise<void> | void {
  const zone = zones.store.find(ctx.question.name);
  if (zone === undefined) return next();
  ctx.reply(
    zone.lookup(ctx.question.name, ctx.question.type, { rawName: ctx.rawName, do: ctx.edns?.do === true }),
  );
}

/**
 * The `auto` plugin: serves every zone file of a directory whose name matches a pattern
 * (`db.example.org` -> `example.org.`), picking up new, changed and removed files on each scan.
 *
 * @example
 * ```ts
 * createServer({ plugins: [auto({ directory: '/etc/coredns/zones' })] });
 * ```
 */
export function auto(options: AutoOptions): AutoPlugin {
  const zones = new AutoZones(options);
  let blockRoot: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  return {
    name: 'auto',
    handle: (ctx, next) => answer(ctx, next, zones),
    configure(block) {
      blockRoot = block.root;
    },
    start(env: PluginEnv) {
      const base = options.root ?? blockRoot;
      zones.directory =
        isAbsolute(options.directory) || base === undefined
          ? options.directory
          : join(base, options.directory);
      zones.zones =
        options.zones === undefined ? env.zones : options.zones.map((zone) => normalizeName(zone));
      zones.logger = env.logger;
      zones.scan();
      const reloadMs = options.reloadMs ?? 60_000;
      if (reloadMs > 0) {
        timer = setInterval(() => zones.scan(), reloadMs);
        timer.unref();
      }
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
    scan: () => zones.scan(),
    zones: (): ZoneSource => zones.store,
  };
}
