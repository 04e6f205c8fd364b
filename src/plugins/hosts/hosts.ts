import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { type Fallthrough, fallsThrough, noFallthrough } from '../../core/fallthrough.js';
import type { BlockSettings, DnsContext, Logger, Next, Plugin, PluginEnv } from '../../core/types.js';
import { matchZone, normalizeZones } from '../../core/zones.js';
import type { ResourceRecord } from '../../wire/types.js';
import { emptyHosts, type HostsTable, parseHosts } from './hosts-file.js';
import { type HostsMetrics, hostsMetrics } from './metrics.js';
import { addressFromReverse } from './reverse-address.js';

/** Timers for the reload loop; tests inject fake ones. */
export interface HostsTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** Options of {@link hosts}; every field has CoreDNS's default. */
export interface HostsOptions {
  /** The hosts file; default `/etc/hosts`. */
  readonly path?: string;
  /** Zones to answer for; default the root. Names outside them in the file are ignored. */
  readonly zones?: readonly string[];
  /** hosts(5) lines written in the Corefile block; answered after the file's addresses. */
  readonly inline?: string;
  /** TTL of every answer, in seconds; default 3600. */
  readonly ttl?: number;
  /** Answer PTR queries from the entries; default true (`no_reverse` turns it off). */
  readonly reverse?: boolean;
  /** How often to check the file for changes, in ms; default 5000, 0 disables. */
  readonly reloadMs?: number;
  /** For which names a miss goes to the next plugin instead of SERVFAIL. */
  readonly fallthrough?: Fallthrough;
  /** Also pass on types hosts cannot answer (TXT, MX...) for names it knows, within `fallthrough`. */
  readonly fallthroughUnsupported?: boolean;
  readonly timers?: HostsTimers;
}

/** The hosts plugin, with its reload step exposed (what the timer runs). */
export interface HostsPlugin extends Plugin {
  /** Re-reads the file if its size or modification time changed; keeps the old data when unreadable. */
  reload(): Promise<void>;
}

const defaultTimers: HostsTimers = {
  setInterval: (callback, ms) => setInterval(callback, ms).unref(),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

const answeredTypes = new Set(['A', 'AAAA', 'PTR']);

class Hosts implements HostsPlugin {
  readonly name = 'hosts';
  readonly handle = (ctx: DnsContext, next: Next) => this.serve(ctx, next);
  private file: HostsTable = emptyHosts;
  private readonly inline: HostsTable;
  private readonly zones: readonly string[];
  private path: string;
  private readonly ttl: number;
  private readonly fallthrough: Fallthrough;
  private seen: { mtimeMs: number; size: number } | undefined = undefined;
  private reloading: Promise<void> | undefined = undefined;
  private timer: unknown = undefined;
  private metrics: HostsMetrics | undefined = undefined;
  private logger: Logger | undefined = undefined;

  constructor(private readonly options: HostsOptions) {
    this.zones = normalizeZones(options.zones);
    this.path = options.path ?? '/etc/hosts';
    this.ttl = options.ttl ?? 3600;
    this.fallthrough = options.fallthrough ?? noFallthrough;
    this.inline = parseHosts(options.inline ?? '', this.parseOptions());
  }

  configure(block: BlockSettings): void {
    // A relative FILE is relative to the block's `root`, as in CoreDNS.
    if (block.root !== undefined && !isAbsolute(this.path)) this.path = join(block.root, this.path);
  }

  async start(env: PluginEnv): Promise<void> {
    this.logger = env.logger;
    this.metrics = hostsMetrics(env.metrics);
    await this.checkFile();
    await this.reload();
    const every = this.options.reloadMs ?? 5000;
    if (every > 0) {
      const timers = this.options.timers ?? defaultTimers;
      this.timer = timers.setInterval(() => void this.reload(), every);
    }
  }

  stop(): void {
    if (this.timer === undefined) return;
    (this.options.timers ?? defaultTimers).clearInterval(this.timer);
    this.timer = undefined;
  }

  reload(): Promise<void> {
    // One read at a time: a slow disk must not stack reloads up.
    this.reloading ??= this.read().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private parseOptions() {
    return { zones: this.zones, reverse: this.options.reverse ?? true };
  }

  private async checkFile(): Promise<void> {
    try {
      if ((await stat(this.path)).isDirectory()) this.logger?.warn(`hosts: ${this.path} is a directory`);
    } catch {
      this.logger?.warn(`hosts: file does not exist: ${this.path}`);
    }
  }

  private async read(): Promise<void> {
    let text: string;
    let info: { mtimeMs: number; size: number };
    try {
      info = await stat(this.path);
      if (this.seen?.mtimeMs === info.mtimeMs && this.seen.size === info.size) return;
      text = await readFile(this.path, 'utf8');
    } catch {
      return; // unreadable or gone: keep serving what we had, as CoreDNS does
    }
    this.file = parseHosts(text, this.parseOptions());
    this.seen = { mtimeMs: info.mtimeMs, size: info.size };
    this.logger?.debug(`hosts: parsed ${this.path} into ${this.file.size} entries`);
    this.metrics?.entries.set(this.file.size + this.inline.size);
    this.metrics?.reloadTimestamp.set(info.mtimeMs / 1000);
  }

  private addresses(family: 'name4' | 'name6', name: string): readonly string[] {
    const fromFile = this.file[family].get(name);
    const fromInline = this.inline[family].get(name);
    if (fromInline === undefined) return fromFile ?? [];
    return fromFile === undefined ? fromInline : [...fromFile, ...fromInline];
  }

  private names(address: string | undefined): readonly string[] {
    if (address === undefined) return [];
    return [...(this.file.addr.get(address) ?? []), ...(this.inline.addr.get(address) ?? [])];
  }

  private serve(ctx: DnsContext, next: Next): Promise<void> | void {
    const { name, type } = ctx.question;
    // PTR queries need not be in the zones: reverse names rarely are.
    if (type !== 'PTR' && matchZone(this.zones, name) === undefined) return next();
    let answers: ResourceRecord[] = [];
    if (type === 'PTR') {
      const names = this.names(addressFromReverse(name));
      if (names.length === 0) return next(); // whatever fallthrough says, as CoreDNS does
      answers = names.map((target) => this.record(ctx, 'PTR', target));
    } else if (type === 'A' || type === 'AAAA') {
      const rrtype = type === 'A' ? 'A' : 'AAAA';
      answers = this.addresses(type === 'A' ? 'name4' : 'name6', name).map((address) =>
        this.record(ctx, rrtype, address),
      );
    }
    if (answers.length === 0) {
      const known = this.addresses('name4', name).length > 0 || this.addresses('name6', name).length > 0;
      if (!known || (this.options.fallthroughUnsupported === true && !answeredTypes.has(type))) {
        if (fallsThrough(this.fallthrough, name)) return next();
      }
      // No SOA to build an NXDOMAIN from: CoreDNS answers SERVFAIL for names it does not know.
      if (!known) return ctx.fail('SERVFAIL');
    }
    ctx.reply({ authoritative: true, answers });
    this.metrics?.hits.inc();
  }

  private record(ctx: DnsContext, type: 'A' | 'AAAA' | 'PTR', data: string): ResourceRecord {
    const name = ctx.rawName;
    const ttl = this.ttl;
    if (type === 'A') return { name, type, class: 'IN', ttl, data };
    if (type === 'AAAA') return { name, type, class: 'IN', ttl, data };
    return { name, type, class: 'IN', ttl, data };
  }
}

/**
 * The `hosts` plugin: answers A, AAAA and PTR queries from a hosts(5) file (re-read when it
 * changes) and inline entries. Known names get NODATA for other types; unknown names get SERVFAIL,
 * or go to the next plugin under `fallthrough`.
 *
 * @example
 * ```ts
 * const server = createServer({ plugins: [hosts({ path: './hosts', zones: ['example.org.'] })] });
 * ```
 */
export function hosts(options: HostsOptions = {}): HostsPlugin {
  return new Hosts(options);
}
