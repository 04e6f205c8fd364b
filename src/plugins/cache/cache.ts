import { LRUCache } from 'lru-cache';
import { afterNext } from '../../core/after-next.js';
import { compose } from '../../core/compose.js';
import { QueryContext } from '../../core/context.js';
import type { BlockSettings, DnsContext, Middleware, Next, Plugin, PluginEnv } from '../../core/types.js';
import { matchZone } from '../../core/zones.js';
import { type ResponseType, typifyResponse } from '../../plugin-kit/response-type.js';
import type { DnsMessage } from '../../wire/types.js';
import { CacheEntry, type CacheKind, minimalTtl, sectionsWithTtl } from './entry.js';
import { attachCacheMetrics, CacheStats } from './metrics.js';
import { type CacheOptions, type CacheSettings, cacheSettings } from './options.js';

/** How long a background refresh (prefetch, stale refresh) may take. */
const REFRESH_TIMEOUT_MS = 5000;
const resolved: Promise<void> = Promise.resolve();
const endOfChain: Next = () => resolved;

/** The key: name (lowercased), type, class, DO and CD bits (RFC 4035 3.2.2: CD changes the answer). */
function cacheKey(ctx: DnsContext): string {
  const { name, type, class: qclass } = ctx.question;
  const request = ctx.request;
  const dnssecOk = request.edns?.do === true;
  return `${name}\0${type}\0${qclass}\0${dnssecOk ? 1 : 0}${request.flags.cd ? 1 : 0}`;
}

/** Truncated replies, zone transfers, updates and other errors (REFUSED...) are never cached. */
function cacheable(response: DnsMessage, type: ResponseType): boolean {
  return !response.flags.tc && type !== 'OTHERERROR' && type !== 'META' && type !== 'UPDATE';
}

function clamp(ttl: number, min: number, max: number): number {
  return Math.min(Math.max(ttl, min), max);
}

/** Whether the response is for this query's question (CoreDNS's `state.Match`). */
function answersQuestion(response: DnsMessage, ctx: DnsContext): boolean {
  const question = response.questions[0];
  return (
    question !== undefined &&
    question.type === ctx.question.type &&
    question.class === ctx.question.class &&
    question.name.toLowerCase() === ctx.question.name
  );
}

/** The cache plugin: see {@link cache}. */
class ResponseCache {
  readonly settings: CacheSettings;
  readonly success: LRUCache<string, CacheEntry>;
  readonly denial: LRUCache<string, CacheEntry>;
  private readonly allZones: boolean;
  private readonly stats = new Map<string, CacheStats>();
  private lastPort = -1;
  private lastAddress = '';
  private current = new CacheStats();
  private block: Readonly<BlockSettings> | undefined;
  private below: Middleware | undefined;
  private readonly refreshing = new Set<string>();
  private detachMetrics: (() => void) | undefined;

  constructor(options: CacheOptions) {
    this.settings = cacheSettings(options);
    this.allZones = this.settings.zones.includes('.');
    const lru = (kind: CacheKind) =>
      new LRUCache<string, CacheEntry>({
        max: this.settings[kind].capacity,
        dispose: (_entry, _key, reason) => {
          if (reason !== 'evict') return;
          if (kind === 'success') this.current.successEvictions++;
          else this.current.denialEvictions++;
        },
      });
    this.success = lru('success');
    this.denial = lru('denial');
  }

  /** Keeps the block's listener settings: `bind` decides the `server` label (read at query time). */
  configure(block: Readonly<BlockSettings>): void {
    this.block = block;
  }

  start(env: PluginEnv, self: Plugin): void {
    // The plugins after this one, for refreshing entries in the background (prefetch, serve_stale).
    const index = env.chain.indexOf(self);
    if (index !== -1) this.below = compose(env.chain.slice(index + 1).map((plugin) => plugin.handle));
    this.detachMetrics?.();
    this.detachMetrics = attachCacheMetrics(env.metrics, {
      zones: this.settings.zones.join(','),
      view: '',
      stats: this.stats,
      sizes: () => ({ success: this.success.size, denial: this.denial.size }),
    });
  }

  stop(): void {
    this.detachMetrics?.();
    this.detachMetrics = undefined;
  }

  handle(ctx: DnsContext, next: Next): Promise<void> | undefined {
    if (!this.allZones && matchZone(this.settings.zones, ctx.question.name) === undefined) return next();
    const stats = this.statsFor(ctx);
    stats.requests++;
    const now = this.settings.clock.now();
    const key = cacheKey(ctx);
    const entry = this.lookup(key, now, stats);
    if (entry === undefined) {
      stats.misses++;
      return afterNext(next, () => this.store(ctx, key, false));
    }
    const ttl = entry.ttl(now);
    if (ttl <= 0) return this.serveStale(ctx, next, entry, key, stats);
    if (this.shouldPrefetch(entry, now, ttl)) this.refresh(ctx, key, entry, stats);
    ctx.response = entry.toResponse(ctx.request, this.settings.keepTtl ? entry.origTtl : ttl);
    return undefined;
  }

  /**
   * The stats of the `server` label of this query's listener, the label the `prometheus` plugin
   * gives it: `dns://:PORT`, or with `bind` the address, `dns://127.0.0.1:PORT`.
   */
  private statsFor(ctx: DnsContext): CacheStats {
    const { address, port } = ctx.local;
    if (port === this.lastPort && address === this.lastAddress) return this.current;
    const bound = (this.block?.listen.length ?? 0) > 0;
    const host = !bound ? '' : address.includes(':') ? `[${address}]` : address;
    const server = `dns://${host}:${port}`;
    let stats = this.stats.get(server);
    if (stats === undefined) {
      stats = new CacheStats();
      this.stats.set(server, stats);
    }
    this.lastPort = port;
    this.lastAddress = address;
    this.current = stats;
    return stats;
  }

  /** A live entry, or an expired one still within serve_stale's window. */
  private lookup(key: string, now: number, stats: CacheStats): CacheEntry | undefined {
    const entry = this.success.get(key) ?? this.denial.get(key);
    if (entry === undefined) return undefined;
    const ttl = entry.ttl(now);
    if (ttl <= 0 && !(this.settings.staleSeconds > 0 && -ttl < this.settings.staleSeconds)) return undefined;
    if (entry.kind === 'success') stats.successHits++;
    else stats.denialHits++;
    return entry;
  }

  /**
   * An expired entry within serve_stale's window (RFC 8767). `immediate`: answer it with TTL 0
   * and refresh in the background. `verify`: ask the chain first and answer stale only when it
   * brings neither NOERROR nor NXDOMAIN.
   */
  private serveStale(
    ctx: DnsContext,
    next: Next,
    entry: CacheEntry,
    key: string,
    stats: CacheStats,
  ): Promise<void> | undefined {
    const serve = () => {
      stats.servedStale++;
      ctx.response = entry.toResponse(ctx.request, 0);
    };
    if (this.settings.verifyStale) {
      return afterNext(
        next,
        () => {
          const rcode = ctx.response?.rcode;
          if (rcode === 'NOERROR' || rcode === 'NXDOMAIN') this.store(ctx, key, false);
          else serve();
        },
        serve,
      );
    }
    this.refresh(ctx, key, entry, stats);
    serve();
    return undefined;
  }

  /** CoreDNS's prefetch rule: enough hits without a long gap, and little TTL left. */
  private shouldPrefetch(entry: CacheEntry, now: number, ttl: number): boolean {
    const { prefetchAmount, prefetchWindowMs, prefetchPercentage } = this.settings;
    if (prefetchAmount <= 0) return false;
    entry.hits = entry.lastHit < now - prefetchWindowMs ? 1 : entry.hits + 1;
    entry.lastHit = now;
    const threshold = Math.ceil((prefetchPercentage / 100) * entry.origTtl);
    return entry.hits >= prefetchAmount && ttl <= threshold;
  }

  /**
   * Runs the plugins after this one for the same question in the background and stores what
   * they answer; the hit counts carry over to the new entry. One refresh per key at a time.
   */
  private refresh(ctx: DnsContext, key: string, old: CacheEntry, stats: CacheStats): void {
    const below = this.below;
    if (below === undefined || this.refreshing.has(key)) return;
    this.refreshing.add(key);
    stats.prefetches++;
    queueMicrotask(() => {
      const background = new QueryContext(
        ctx.request,
        ctx.question,
        ctx.rawName,
        ctx.zone,
        { ...ctx.peer, transport: 'memory' },
        ctx.local,
        performance.now(),
        REFRESH_TIMEOUT_MS,
        ctx.requestSize,
      );
      const timer = setTimeout(
        () => background.abort(new Error('cache refresh timed out')),
        REFRESH_TIMEOUT_MS,
      );
      timer.unref();
      const done = () => {
        clearTimeout(timer);
        this.refreshing.delete(key);
      };
      const store = () => {
        const entry = this.store(background, key, true);
        if (entry !== undefined) {
          entry.hits = old.hits;
          entry.lastHit = old.lastHit;
        }
      };
      Promise.resolve()
        .then(() => below(background, endOfChain))
        .then(store)
        .then(done, done);
    });
  }

  /** Seconds to cache a response for: its minimal TTL within the tier's bounds; SERVFAIL's own. */
  private duration(response: DnsMessage, type: ResponseType): number {
    const { success, denial, servfailTtl } = this.settings;
    if (type === 'NXDOMAIN' || type === 'NODATA')
      return clamp(minimalTtl(response, type), denial.minTtl, denial.maxTtl);
    if (type === 'SERVERERROR') return servfailTtl;
    return clamp(minimalTtl(response, type), success.minTtl, success.maxTtl);
  }

  /**
   * Caches the chain's response when it may be, and (unless refreshing in the background)
   * rewrites the reply's TTLs to the cached duration, as CoreDNS does, so a client does not see
   * 1799 now and 8 on the next hit.
   */
  private store(ctx: DnsContext, key: string, background: boolean): CacheEntry | undefined {
    const response = ctx.response;
    if (response === undefined) return undefined;
    const type = typifyResponse(response);
    const duration = this.duration(response, type);
    let entry: CacheEntry | undefined;
    // A response a plugin wrote with ctx.fail (an unreachable upstream) is a local failure, not
    // an answer: CoreDNS's forward writes nothing then, so nothing is cached.
    if (ctx.failure === undefined && cacheable(response, type) && duration > 0) {
      if (answersQuestion(response, ctx)) entry = this.set(key, ctx, response, type, duration);
      else this.current.drops++;
    }
    if (!background) ctx.response = this.rewrite(ctx, response, entry, duration);
    return entry;
  }

  private set(
    key: string,
    ctx: DnsContext,
    response: DnsMessage,
    type: ResponseType,
    duration: number,
  ): CacheEntry | undefined {
    const kind: CacheKind = type === 'NOERROR' || type === 'DELEGATION' ? 'success' : 'denial';
    const disabled = kind === 'success' ? this.settings.disableSuccess : this.settings.disableDenial;
    if (disabled.length > 0 && matchZone(disabled, ctx.question.name) !== undefined) return undefined;
    const { question } = ctx;
    const { aa, ra, ad } = response.flags;
    const entry = new CacheEntry(
      kind,
      question.name,
      question.type,
      question.class,
      response.rcode,
      { aa, ra, ad },
      response,
      duration,
      this.settings.clock.now(),
    );
    (kind === 'success' ? this.success : this.denial).set(key, entry);
    // One entry per key: a name that turned from NXDOMAIN to an answer must not be found stale.
    (kind === 'success' ? this.denial : this.success).delete(key);
    return entry;
  }

  /** The reply with every TTL at `duration`, and AD cleared for clients that did not ask for it. */
  private rewrite(
    ctx: DnsContext,
    response: DnsMessage,
    entry: CacheEntry | undefined,
    duration: number,
  ): DnsMessage {
    const request = ctx.request;
    const keepAd = request.edns?.do === true || request.flags.ad;
    const records = entry?.records(duration) ?? sectionsWithTtl(response, duration);
    const flags = response.flags.ad && !keepAd ? { ...response.flags, ad: false } : response.flags;
    return { ...response, flags, ...records };
  }
}

/**
 * The `cache` plugin: answers repeated questions from memory, as CoreDNS's _cache_. Positive
 * answers (and referrals) and negative ones (NXDOMAIN, NODATA, SERVFAIL) live in two LRU caches;
 * TTLs count down on hits; prefetch and serve_stale refresh entries in the background.
 *
 * @example
 * ```ts
 * const server = createServer({ plugins: [cache({ maxTtl: 30 }), forward({ to: ['9.9.9.9'] })] });
 * ```
 */
export function cache(options: CacheOptions = {}): Plugin {
  const responses = new ResponseCache(options);
  const plugin: Plugin = {
    name: 'cache',
    handle: (ctx, next) => responses.handle(ctx, next),
    configure: (block) => responses.configure(block),
    start: (env) => responses.start(env, plugin),
    stop: () => responses.stop(),
  };
  return plugin;
}
