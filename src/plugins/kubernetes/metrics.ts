import { exponentialBuckets, type Registry } from 'prom-client';
import type { ApiObserver, ClusterStore } from '../../cluster/types.js';
import { counterIn, histogramIn } from '../../metrics/registry.js';

/**
 * CoreDNS's `kubernetes` metrics (`plugin/kubernetes/metrics.go`, `object/metrics.go`), fed by the
 * API source: the REST client's requests, and the DNS programming latency of headless services
 * (the Kubernetes SLI: from the endpoint controller's trigger time to the change being served).
 * `store` gives the source's store once it exists; `now` is for tests.
 */
export function kubernetesApiMetrics(
  registry: Registry,
  store: () => ClusterStore | undefined,
  now: () => number = Date.now,
): ApiObserver {
  const requests = counterIn(registry, {
    name: 'coredns_kubernetes_rest_client_requests_total',
    help: 'Number of HTTP requests, partitioned by status code, method, and host.',
    labelNames: ['code', 'method', 'host'],
  });
  const latency = histogramIn(registry, {
    name: 'coredns_kubernetes_rest_client_request_duration_seconds',
    help: 'Request latency in seconds. Broken down by verb and host.',
    labelNames: ['verb', 'host'],
  });
  const programming = histogramIn(registry, {
    name: 'coredns_kubernetes_dns_programming_duration_seconds',
    help: 'Histogram of the time (in seconds) it took to program a dns instance.',
    labelNames: ['service_kind'],
    // 1 ms to about 17 minutes, as CoreDNS.
    buckets: exponentialBuckets(0.001, 2, 20),
  });
  return {
    request({ method, host, code, seconds }) {
      requests.inc({ code, method, host });
      latency.observe({ verb: method, host }, seconds);
    },
    endpointsChanged({ namespace, service, triggeredAt }) {
      // As CoreDNS: only headless services are measured (a ClusterIP service's address does not
      // change with its endpoints), and a slice with a trigger time has a selector behind it.
      if (service === undefined || store()?.service(namespace, service)?.headless !== true) return;
      programming.observe(
        { service_kind: 'headless_with_selector' },
        Math.max(0, now() - triggeredAt) / 1000,
      );
    },
  };
}
