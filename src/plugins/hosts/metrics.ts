import type { Counter, Gauge, Registry } from 'prom-client';
import { counterIn, gaugeIn } from '../../metrics/registry.js';

/** CoreDNS's hosts metrics, registered once per server registry (several blocks may share it). */
export interface HostsMetrics {
  readonly entries: Gauge;
  readonly reloadTimestamp: Gauge;
  readonly hits: Counter;
}

/** Gets or registers `coredns_hosts_entries`, `coredns_hosts_reload_timestamp_seconds`, `coredns_hosts_hits_total`. */
export function hostsMetrics(registry: Registry): HostsMetrics {
  return {
    entries: gaugeIn(registry, {
      name: 'coredns_hosts_entries',
      help: 'The combined number of entries in hosts and Corefile.',
    }),
    reloadTimestamp: gaugeIn(registry, {
      name: 'coredns_hosts_reload_timestamp_seconds',
      help: 'The timestamp of the last reload of hosts file.',
    }),
    hits: counterIn(registry, {
      name: 'coredns_hosts_hits_total',
      help: 'The number of requests served from the hosts file.',
    }),
  };
}
