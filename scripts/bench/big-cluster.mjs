// The cluster of the memory targets: 10,000 services (100 namespaces), each with an EndpointSlice
// of 10 ready endpoints (100,000 in all), and 50,000 pods; as plain API objects.
export const SERVICES = 10_000;
export const ENDPOINTS_PER_SERVICE = 10;
export const PODS = 50_000;
export const NAMESPACES = 100;

const ip = (base, n) => `${base}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/** Calls `apply` with every object: namespaces, then each service with its slice, then pods. */
export function bigCluster(apply) {
  for (let n = 0; n < NAMESPACES; n++) apply({ kind: 'Namespace', metadata: { name: `ns-${n}` } });
  for (let s = 0; s < SERVICES; s++) {
    const namespace = `ns-${s % NAMESPACES}`;
    const name = `svc-${s}`;
    apply({
      kind: 'Service',
      metadata: { name, namespace, labels: { app: name } },
      spec: {
        type: 'ClusterIP',
        clusterIP: ip(10, s),
        clusterIPs: [ip(10, s)],
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      },
    });
    const endpoints = [];
    for (let e = 0; e < ENDPOINTS_PER_SERVICE; e++) {
      const n = s * ENDPOINTS_PER_SERVICE + e;
      endpoints.push({
        addresses: [ip(11, n)],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: `node-${n % 500}`,
        targetRef: { kind: 'Pod', namespace, name: `${name}-pod-${e}` },
      });
    }
    apply({
      kind: 'EndpointSlice',
      apiVersion: 'discovery.k8s.io/v1',
      metadata: { name: `${name}-abcde`, namespace, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      endpoints,
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
  }
  for (let p = 0; p < PODS; p++) {
    apply({
      kind: 'Pod',
      metadata: { name: `pod-${p}`, namespace: `ns-${p % NAMESPACES}` },
      status: { phase: 'Running', podIP: ip(12, p), podIPs: [{ ip: ip(12, p) }] },
    });
  }
}

/** An IP of one of the cluster's endpoints, for a sanity lookup. */
export const endpointIp = (n) => ip(11, n);
