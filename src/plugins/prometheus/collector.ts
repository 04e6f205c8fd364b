import {
  AggregatorRegistry,
  collectDefaultMetrics,
  Gauge,
  Registry as PromRegistry,
  type Registry,
} from 'prom-client';
import { packageVersion } from '../../cli/version.js';
import { DnsMetrics, type MetricSnapshot, type Sample } from './dns-metrics.js';

/** A metric object as prom-client's registry reads it: a name and a `get()` snapshot. */
interface SnapshotMetric {
  readonly name: string;
  readonly help: string;
  readonly type: MetricSnapshot['type'];
  readonly aggregator: MetricSnapshot['aggregator'];
  get(): MetricSnapshot;
}

/**
 * The server metrics of one server's registry: `coredns_dns_*`, `coredns_plugin_enabled` and
 * `coredns_panics_total`. One per registry (reloads and several blocks with `prometheus` reuse it),
 * so counters continue across a reload as CoreDNS's process-wide ones do.
 */
export class ServerCollector {
  readonly dns = new DnsMetrics();
  /** `coredns_plugin_enabled` samples, per `prometheus` plugin instance that added them. */
  readonly enabled = new Map<object, Sample[]>();
  private cached: MetricSnapshot[] | undefined;

  constructor(registry: Registry) {
    const names = [
      'coredns_dns_requests_total',
      'coredns_dns_request_duration_seconds',
      'coredns_dns_request_size_bytes',
      'coredns_dns_do_requests_total',
      'coredns_dns_response_size_bytes',
      'coredns_dns_responses_total',
    ];
    names.forEach((name, i) => {
      this.register(registry, name, () => this.scrape()[i] as MetricSnapshot);
    });
    this.register(registry, 'coredns_plugin_enabled', () => ({
      name: 'coredns_plugin_enabled',
      help: 'A metric that indicates whether a plugin is enabled on per server, zone and view basis.',
      type: 'gauge',
      aggregator: 'max',
      values: [...this.enabled.values()].flat(),
    }));
    this.register(registry, 'coredns_panics_total', () => ({
      name: 'coredns_panics_total',
      help: 'A metrics that counts the number of panics.',
      type: 'counter',
      aggregator: 'sum',
      values: [{ labels: {}, value: 0 }],
    }));
  }

  /** One snapshot per scrape, shared by the six `coredns_dns_*` metric objects. */
  private scrape(): MetricSnapshot[] {
    if (this.cached === undefined) {
      this.cached = this.dns.snapshot();
      setImmediate(() => {
        this.cached = undefined;
      });
    }
    return this.cached;
  }

  private register(registry: Registry, name: string, get: () => MetricSnapshot): void {
    const probe = get();
    const metric: SnapshotMetric = {
      name,
      help: probe.help,
      type: probe.type,
      aggregator: probe.aggregator,
      get,
    };
    // prom-client's registry accepts any object with a name and get(), as its own aggregator does.
    registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
  }
}

const collectors = new WeakMap<Registry, ServerCollector>();

/** The collector of a server's registry, made on first use. */
export function collectorOf(registry: Registry): ServerCollector {
  let collector = collectors.get(registry);
  if (collector === undefined) {
    collector = new ServerCollector(registry);
    collectors.set(registry, collector);
  }
  return collector;
}

let processRegistry: Registry | undefined;

/**
 * The process's own metrics, served once per address whatever the number of servers:
 * `coredns_build_info` and prom-client's default process and Node.js metrics (CoreDNS exports Go's).
 */
export function processMetrics(): Registry {
  if (processRegistry !== undefined) return processRegistry;
  const registry = new PromRegistry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'coredns_build_info',
    help: "A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.",
    labelNames: ['version', 'revision', 'goversion'],
    registers: [registry],
  }).set({ version: packageVersion(), revision: '', goversion: process.version }, 1);
  processRegistry = registry;
  return registry;
}

/** The text exposition of several registries, merging metrics of the same name (values summed per label set). */
export async function exposition(registries: readonly Registry[]): Promise<string> {
  if (registries.length === 1) return (registries[0] as Registry).metrics();
  const merged = AggregatorRegistry.aggregate(await Promise.all(registries.map((r) => r.getMetricsAsJSON())));
  return merged.metrics();
}
