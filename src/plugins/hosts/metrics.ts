import { Counter, Gauge, type Registry } from 'prom-client';

/** CoreDNS's hosts metrics, registered once per server registry (several blocks may share it). */
export interface HostsMetrics {
  readonly entries: Gauge;
  readonly reloadTimestamp: Gauge;
  readonly hits: Counter;
}

function existing<T>(registry: Registry, name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}

/** Gets or registers `coredns_hosts_entries`, `coredns_hosts_reload_timestamp_seconds`, `coredns_hosts_hits_total`. */
export function hostsMetrics(registry: Registry): HostsMetrics {
  const entries =
    existing<Gauge>(registry, 'coredns_hosts_entries') ??
    new Gauge({
      name: 'coredns_hosts_entries',
      help: 'The combined number of entries in hosts and Corefile.',
      registers: [registry],
    });
  const reloadTimestamp =
    existing<Gauge>(registry, 'coredns_hosts_reload_timestamp_seconds') ??
    new Gauge({
      name: 'coredns_hosts_reload_timestamp_seconds',
      help: 'The timestamp of the last reload of hosts file.',
      registers: [registry],
    });
  const hits =
    existing<Counter>(registry, 'coredns_hosts_hits_total') ??
    new Counter({
      name: 'coredns_hosts_hits_total',
      help: 'The number of requests served from the hosts file.',
      registers: [registry],
    });
  return { entries, reloadTimestamp, hits };
}
