import type { Counter, Gauge, Registry } from 'prom-client';
import { counterIn, gaugeIn } from '../../metrics/registry.js';

/** Counts of one cache instance for one `server` label, kept as plain numbers on the hot path. */
export class CacheStats {
  requests = 0;
  misses = 0;
  prefetches = 0;
  drops = 0;
  servedStale = 0;
  successHits = 0;
  denialHits = 0;
  successEvictions = 0;
  denialEvictions = 0;
}

/** What one cache plugin contributes to its server's registry. */
export interface CacheMetricsSource {
  readonly zones: string;
  readonly view: string;
  /** Stats per `server` label (`dns://:53`). */
  readonly stats: ReadonlyMap<string, CacheStats>;
  sizes(): { readonly success: number; readonly denial: number };
}

type Labels3 = 'server' | 'zones' | 'view';
type Labels4 = 'server' | 'type' | 'zones' | 'view';

/**
 * The cache metrics of one registry, with CoreDNS's names and labels (`plugin/cache/metrics.go`).
 * Cache hits only bump plain counters ({@link CacheStats}); the Prometheus metrics are brought up
 * to date when the registry is collected, so that a hit costs no label hashing.
 */
class SharedCacheMetrics {
  readonly sources = new Set<CacheMetricsSource>();
  private readonly entries: Gauge<Labels4>;
  private readonly requests: Counter<Labels3>;
  private readonly hits: Counter<Labels4>;
  private readonly misses: Counter<Labels3>;
  private readonly prefetches: Counter<Labels3>;
  private readonly drops: Counter<Labels3>;
  private readonly servedStale: Counter<Labels3>;
  private readonly evictions: Counter<Labels4>;

  constructor(registry: Registry) {
    const flush = () => this.flush();
    const three: Labels3[] = ['server', 'zones', 'view'];
    const four: Labels4[] = ['server', 'type', 'zones', 'view'];
    const counter = <L extends string>(name: string, help: string, labelNames: L[]): Counter<L> =>
      counterIn(registry, { name, help, labelNames, collect: flush });
    this.entries = gaugeIn(registry, {
      name: 'coredns_cache_entries',
      help: 'The number of elements in the cache.',
      labelNames: four,
      collect: flush,
    });
    this.requests = counter('coredns_cache_requests_total', 'The count of cache requests.', three);
    this.hits = counter('coredns_cache_hits_total', 'The count of cache hits.', four);
    this.misses = counter(
      'coredns_cache_misses_total',
      'The count of cache misses. Deprecated, derive misses from cache hits/requests counters.',
      three,
    );
    this.prefetches = counter(
      'coredns_cache_prefetch_total',
      'The number of times the cache has prefetched a cached item.',
      three,
    );
    this.drops = counter(
      'coredns_cache_drops_total',
      'The number responses that are not cached, because the reply is malformed.',
      three,
    );
    this.servedStale = counter(
      'coredns_cache_served_stale_total',
      'The number of requests served from stale cache entries.',
      three,
    );
    this.evictions = counter('coredns_cache_evictions_total', 'The count of cache evictions.', four);
  }

  /** Moves every source's counts into the Prometheus metrics and zeroes them. */
  flush(): void {
    for (const source of this.sources) {
      const { zones, view } = source;
      for (const [server, stats] of source.stats) {
        // Label order as CoreDNS declares them, so that the exposition reads the same.
        const labels = { server, zones, view };
        const success = { server, type: 'success', zones, view };
        const denial = { server, type: 'denial', zones, view };
        const sizes = source.sizes();
        this.entries.set(success, sizes.success);
        this.entries.set(denial, sizes.denial);
        add(this.requests, labels, stats.requests);
        add(this.misses, labels, stats.misses);
        add(this.prefetches, labels, stats.prefetches);
        add(this.drops, labels, stats.drops);
        add(this.servedStale, labels, stats.servedStale);
        add(this.hits, success, stats.successHits);
        add(this.hits, denial, stats.denialHits);
        add(this.evictions, success, stats.successEvictions);
        add(this.evictions, denial, stats.denialEvictions);
        Object.assign(stats, new CacheStats());
      }
    }
  }
}

function add<L extends string>(counter: Counter<L>, labels: Partial<Record<L, string>>, value: number): void {
  if (value > 0) counter.inc(labels, value);
}

const perRegistry = new WeakMap<Registry, SharedCacheMetrics>();

/**
 * Adds a cache instance to its server's metrics (registering them on first use, and reusing
 * them for a second cache on the same server). Returns a function that removes it again,
 * after a last flush so that no count is lost.
 */
export function attachCacheMetrics(registry: Registry, source: CacheMetricsSource): () => void {
  let shared = perRegistry.get(registry);
  if (shared === undefined) {
    shared = new SharedCacheMetrics(registry);
    perRegistry.set(registry, shared);
  }
  const metrics = shared;
  metrics.sources.add(source);
  return () => {
    metrics.flush();
    metrics.sources.delete(source);
  };
}
