import type { DnsContext } from '../../core/types.js';
import type { DnsMessage } from '../../wire/types.js';

/** The query types CoreDNS labels by name; every other type is `other` (plugin/metrics/vars/report.go). */
// biome-ignore format: one list
const monitoredTypes: readonly string[] = [
  'A', 'AAAA', 'CNAME', 'DNSKEY', 'DS', 'MX', 'NSEC3', 'NSEC', 'NS', 'PTR', 'RRSIG', 'SOA', 'SRV', 'TXT',
  'HTTPS', 'IXFR', 'AXFR', 'ANY', 'other',
];
const typeIndex = new Map(monitoredTypes.map((t, i) => [t, i]));
const otherType = monitoredTypes.length - 1;
const protos: readonly string[] = ['udp', 'tcp', 'memory'];
const protoIndex = new Map(protos.map((p, i) => [p, i]));

/** CoreDNS's TimeBuckets: exponential from 0.25 ms, factor 2, 16 buckets. */
export const timeBuckets: readonly number[] = Array.from({ length: 16 }, (_, i) => 0.00025 * 2 ** i);
/** CoreDNS's buckets for request and response sizes. */
export const sizeBuckets: readonly number[] = [
  0, 100, 200, 300, 400, 511, 1023, 2047, 4095, 8291, 16e3, 32e3, 48e3, 64e3,
];

/** A histogram kept as plain counts per bucket (the last slot is +Inf), summed at scrape time. */
class Histo {
  readonly counts: Float64Array;
  sum = 0;
  total = 0;
  constructor(private readonly buckets: readonly number[]) {
    this.counts = new Float64Array(buckets.length + 1);
  }
  observe(value: number): void {
    const buckets = this.buckets;
    let i = 0;
    while (i < buckets.length && value > (buckets[i] as number)) i++;
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.sum += value;
    this.total++;
  }
  /** The prom-client sample values: cumulative buckets, `_sum`, `_count`. */
  values(name: string, labels: Record<string, string>): Sample[] {
    const out: Sample[] = [];
    let cumulative = 0;
    this.buckets.forEach((le, i) => {
      cumulative += this.counts[i] as number;
      out.push({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: cumulative });
    });
    out.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: this.total });
    out.push({ metricName: `${name}_sum`, labels, value: this.sum });
    out.push({ metricName: `${name}_count`, labels, value: this.total });
    return out;
  }
}

/** One sample as prom-client's registry serialises it. */
export interface Sample {
  readonly metricName?: string;
  readonly labels: Record<string, string | number>;
  readonly value: number;
}

/** The counters of one `server` and `zone` label pair, indexed by proto, family and type. */
class ZoneSeries {
  readonly requests = new Float64Array(protos.length * 2 * monitoredTypes.length);
  readonly durations = monitoredTypes.map(() => new Histo(timeBuckets));
  readonly requestSizes = protos.map(() => new Histo(sizeBuckets));
  readonly responseSizes = protos.map(() => new Histo(sizeBuckets));
  readonly rcodes = new Map<string, number>();
  doRequests = 0;
}

/** What one metric contributes to a scrape: prom-client's `get()` shape. */
export interface MetricSnapshot {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly aggregator: 'sum' | 'max' | 'first';
  readonly values: Sample[];
}

/**
 * CoreDNS's per-query server metrics (`coredns_dns_*`), counted into flat arrays so that a query
 * costs a few map lookups and additions: no label strings are built and no prom-client label hash
 * is computed per query. The samples are made when Prometheus scrapes.
 */
export class DnsMetrics {
  /** server label -> zone -> series. */
  private readonly series = new Map<string, Map<string, ZoneSeries>>();

  /** Records one answered query; `server` is the `server` label (`dns://:53`). */
  record(server: string, ctx: DnsContext, wireSize: number, response: DnsMessage): void {
    let zones = this.series.get(server);
    if (zones === undefined) {
      zones = new Map();
      this.series.set(server, zones);
    }
    let series = zones.get(ctx.zone);
    if (series === undefined) {
      series = new ZoneSeries();
      zones.set(ctx.zone, series);
    }
    const proto = protoIndex.get(ctx.peer.transport) ?? 0;
    const type = typeIndex.get(ctx.question.type) ?? otherType;
    const family = ctx.peer.family === 'IPv6' ? 1 : 0;
    const slot = (proto * 2 + family) * monitoredTypes.length + type;
    series.requests[slot] = (series.requests[slot] ?? 0) + 1;
    if (ctx.request.edns?.do === true) series.doRequests++;
    (series.durations[type] as Histo).observe((performance.now() - ctx.startedAt) / 1000);
    (series.requestSizes[proto] as Histo).observe(ctx.requestSize);
    (series.responseSizes[proto] as Histo).observe(wireSize);
    series.rcodes.set(response.rcode, (series.rcodes.get(response.rcode) ?? 0) + 1);
  }

  /** The `coredns_dns_*` metrics, for a scrape. */
  snapshot(): MetricSnapshot[] {
    const requests: Sample[] = [];
    const durations: Sample[] = [];
    const requestSizes: Sample[] = [];
    const responseSizes: Sample[] = [];
    const responses: Sample[] = [];
    const dos: Sample[] = [];
    for (const [server, zones] of this.series) {
      for (const [zone, s] of zones) {
        const base = { server, zone, view: '' };
        s.requests.forEach((value, slot) => {
          if (value === 0) return;
          const type = monitoredTypes[slot % monitoredTypes.length] as string;
          const pf = Math.floor(slot / monitoredTypes.length);
          const proto = protos[Math.floor(pf / 2)] as string;
          requests.push({ labels: { ...base, proto, family: pf % 2 === 0 ? '1' : '2', type }, value });
        });
        s.durations.forEach((h, i) => {
          if (h.total > 0)
            durations.push(
              ...h.values('coredns_dns_request_duration_seconds', {
                ...base,
                type: monitoredTypes[i] as string,
              }),
            );
        });
        s.requestSizes.forEach((h, i) => {
          if (h.total > 0)
            requestSizes.push(
              ...h.values('coredns_dns_request_size_bytes', { ...base, proto: protos[i] as string }),
            );
        });
        s.responseSizes.forEach((h, i) => {
          if (h.total > 0)
            responseSizes.push(
              ...h.values('coredns_dns_response_size_bytes', { ...base, proto: protos[i] as string }),
            );
        });
        for (const [rcode, value] of s.rcodes)
          responses.push({ labels: { ...base, rcode, plugin: '' }, value });
        if (s.doRequests > 0) dos.push({ labels: base, value: s.doRequests });
      }
    }
    return [
      counter(
        'coredns_dns_requests_total',
        'Counter of DNS requests made per zone, protocol and family.',
        requests,
      ),
      histogram(
        'coredns_dns_request_duration_seconds',
        'Histogram of the time (in seconds) each request took per zone.',
        durations,
      ),
      histogram(
        'coredns_dns_request_size_bytes',
        'Size of the EDNS0 UDP buffer in bytes (64K for TCP) per zone and protocol.',
        requestSizes,
      ),
      counter('coredns_dns_do_requests_total', 'Counter of DNS requests with DO bit set per zone.', dos),
      histogram('coredns_dns_response_size_bytes', 'Size of the returned response in bytes.', responseSizes),
      counter('coredns_dns_responses_total', 'Counter of response status codes.', responses),
    ];
  }
}

function counter(name: string, help: string, values: Sample[]): MetricSnapshot {
  return { name, help, type: 'counter', aggregator: 'sum', values };
}

function histogram(name: string, help: string, values: Sample[]): MetricSnapshot {
  return { name, help, type: 'histogram', aggregator: 'sum', values };
}
