import type { Counter, Histogram, Registry } from 'prom-client';
import { counterIn, histogramIn } from '../../metrics/registry.js';

/** The forward plugin's metrics, with CoreDNS's names and labels (`plugin/forward`, `plugin/pkg/proxy`). */
export interface ForwardMetrics {
  readonly requests: Counter<'to'>;
  readonly responses: Counter<'rcode' | 'to'>;
  readonly duration: Histogram<'to' | 'rcode'>;
  readonly healthcheckFailures: Counter<'to'>;
  readonly healthcheckBroken: Counter;
  readonly maxConcurrentRejects: Counter;
  readonly connCacheHits: Counter<'to' | 'proto'>;
  readonly connCacheMisses: Counter<'to' | 'proto'>;
}

/** CoreDNS's `plugin.TimeBuckets`: 0.25 ms doubling 16 times (about 8 s). */
const TIME_BUCKETS = Array.from({ length: 16 }, (_, i) => 0.00025 * 2 ** i);

function counter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: L[],
): Counter<L> {
  return counterIn(registry, { name, help, labelNames });
}

function histogram<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: L[],
): Histogram<L> {
  return histogramIn(registry, { name, help, labelNames, buckets: TIME_BUCKETS });
}

/** Registers (or finds) the forward metrics in a server's registry. */
export function forwardMetrics(registry: Registry): ForwardMetrics {
  const prefix = 'coredns_forward_';
  return {
    requests: counter(registry, `${prefix}requests_total`, 'Counter of requests made per upstream.', ['to']),
    responses: counter(registry, `${prefix}responses_total`, 'Counter of responses received per upstream.', [
      'rcode',
      'to',
    ]),
    duration: histogram(
      registry,
      `${prefix}request_duration_seconds`,
      'Histogram of the time each request took.',
      ['to', 'rcode'],
    ),
    healthcheckFailures: counter(
      registry,
      `${prefix}healthcheck_failures_total`,
      'Counter of the number of failed healthchecks.',
      ['to'],
    ),
    healthcheckBroken: counter(
      registry,
      `${prefix}healthcheck_broken_total`,
      'Counter of the number of complete failures of the healthchecks.',
      [],
    ),
    maxConcurrentRejects: counter(
      registry,
      `${prefix}max_concurrent_rejects_total`,
      'Counter of the number of queries rejected because the concurrent queries were at maximum.',
      [],
    ),
    connCacheHits: counter(
      registry,
      `${prefix}conn_cache_hits_total`,
      'Counter of connection cache hits per upstream and protocol.',
      ['to', 'proto'],
    ),
    connCacheMisses: counter(
      registry,
      `${prefix}conn_cache_misses_total`,
      'Counter of connection cache misses per upstream and protocol.',
      ['to', 'proto'],
    ),
  };
}
