import { normalizeName } from '../../wire/names.js';
import { MAXIMUM_DEFAULT_TTL, MINIMAL_DEFAULT_TTL } from './entry.js';

/** A clock in milliseconds; tests inject one to move time without sleeping. */
export interface CacheClock {
  now(): number;
}

/** Settings of one of the two caches (`success` or `denial`). */
export interface CacheTierOptions {
  /** Most entries; default 9984. The least recently used entry is evicted beyond it. */
  readonly capacity?: number;
  /** Longest TTL in seconds; default 3600 (success) or 1800 (denial), or the plugin's `maxTtl`. */
  readonly maxTtl?: number;
  /** Shortest TTL in seconds; default 5. */
  readonly minTtl?: number;
}

/** Options of {@link cache}, the Corefile's `cache [TTL] [ZONES...] { ... }`. */
export interface CacheOptions {
  /** Zones to cache for; default `.` (the Corefile default is the server block's zones). */
  readonly zones?: readonly string[];
  /** Caps the TTL of both caches, in seconds (the directive's TTL argument). */
  readonly maxTtl?: number;
  readonly success?: CacheTierOptions;
  readonly denial?: CacheTierOptions;
  /** Refresh entries that had `amount` hits with no gap over `durationMs` once their TTL drops below `percentage`%. */
  readonly prefetch?: { readonly amount: number; readonly durationMs?: number; readonly percentage?: number };
  /** Serve expired entries for up to `durationMs` (default 1 h); `verify` asks the chain first. */
  readonly serveStale?: { readonly durationMs?: number; readonly refresh?: 'immediate' | 'verify' };
  /** How long SERVFAIL responses are cached; default 5000 ms, at most 5 minutes, 0 disables. */
  readonly servfailMs?: number;
  /** Zones whose success or denial responses are not cached. */
  readonly disable?: { readonly success?: readonly string[]; readonly denial?: readonly string[] };
  /** Answer with the TTL the entry was stored with instead of counting it down. */
  readonly keepTtl?: boolean;
  /** Default `performance.now()`. */
  readonly clock?: CacheClock;
}

/** CoreDNS's default capacity: 256 shards of 39 entries. */
export const DEFAULT_CAPACITY = 9984;
/** RFC 2308 section 7.1: SERVFAIL must not be cached for more than five minutes. */
export const MAX_SERVFAIL_MS = 300_000;

/** Option values with defaults applied. */
export interface CacheSettings {
  readonly zones: readonly string[];
  readonly success: Required<CacheTierOptions>;
  readonly denial: Required<CacheTierOptions>;
  readonly prefetchAmount: number;
  readonly prefetchWindowMs: number;
  readonly prefetchPercentage: number;
  /** Seconds an expired entry may still be served; 0 disables serve_stale. */
  readonly staleSeconds: number;
  readonly verifyStale: boolean;
  /** Seconds SERVFAIL is cached. */
  readonly servfailTtl: number;
  readonly disableSuccess: readonly string[];
  readonly disableDenial: readonly string[];
  readonly keepTtl: boolean;
  readonly clock: CacheClock;
}

function tier(
  options: CacheTierOptions | undefined,
  cap: number | undefined,
  defaultMax: number,
): Required<CacheTierOptions> {
  return {
    capacity: Math.max(1, Math.floor(options?.capacity ?? DEFAULT_CAPACITY)),
    maxTtl: options?.maxTtl ?? cap ?? defaultMax,
    minTtl: options?.minTtl ?? MINIMAL_DEFAULT_TTL,
  };
}

const performanceClock: CacheClock = { now: () => performance.now() };

/** Applies CoreDNS's defaults; throws for values CoreDNS refuses. */
export function cacheSettings(options: CacheOptions): CacheSettings {
  const servfailMs = options.servfailMs ?? 5000;
  if (servfailMs < 0 || servfailMs > MAX_SERVFAIL_MS) {
    throw new Error('cache: caching SERVFAIL responses over 5 minutes is not permitted');
  }
  const stale = options.serveStale;
  return {
    zones: (options.zones ?? ['.']).map((zone) => normalizeName(zone)),
    success: tier(options.success, options.maxTtl, MAXIMUM_DEFAULT_TTL),
    denial: tier(options.denial, options.maxTtl, MAXIMUM_DEFAULT_TTL / 2),
    prefetchAmount: options.prefetch?.amount ?? 0,
    prefetchWindowMs: options.prefetch?.durationMs ?? 60_000,
    prefetchPercentage: options.prefetch?.percentage ?? 10,
    staleSeconds: stale === undefined ? 0 : Math.floor((stale.durationMs ?? 3_600_000) / 1000),
    verifyStale: stale?.refresh === 'verify',
    servfailTtl: Math.floor(servfailMs / 1000),
    disableSuccess: (options.disable?.success ?? []).map((zone) => normalizeName(zone)),
    disableDenial: (options.disable?.denial ?? []).map((zone) => normalizeName(zone)),
    keepTtl: options.keepTtl ?? false,
    clock: options.clock ?? performanceClock,
  };
}
