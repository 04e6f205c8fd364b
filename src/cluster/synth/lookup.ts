/**
 * From a query name to the matching "entries" (an address or a name, a port, the owner key),
 * the way the Kubernetes DNS specification and CoreDNS's `kubernetes` plugin find them. Record
 * assembly (A, SRV, PTR...) is in `answer.ts`. `undefined` means a name error (NXDOMAIN).
 */
import { canonicalIp, ipFromReverseName, isIPv4 } from '../ip.js';
import type {
  ClusterStore,
  EndpointRecord,
  EndpointSliceRecord,
  PortRecord,
  ServiceRecord,
} from '../types.js';
import { DNS_SCHEMA_VERSION, type SynthOptions } from './options.js';
import { joinZone, parseRequest, type RecordRequest, trimZone } from './request.js';

/** One thing a name stands for: an IP or a name (`host`), a port (-1: none), and the owner (`key`). */
export interface Entry {
  readonly host: string;
  readonly port: number;
  /** The name SRV records point to and address records in ADDITIONAL are owned by. */
  readonly key: string;
  readonly ttl: number;
  /** Set for the `dns-version` TXT record. */
  readonly text?: string;
}

/** The sentinel port of a service or endpoint without ports: answers A, never SRV (as CoreDNS). */
const NO_PORTS: readonly PortRecord[] = [{ name: '', port: -1, protocol: '' as PortRecord['protocol'] }];

/** True when the `namespaces` and `namespace_labels` filters let this existing namespace through. */
export function namespaceExposed(store: ClusterStore, options: SynthOptions, namespace: string): boolean {
  if (options.namespaces !== undefined && !options.namespaces.has(namespace)) return false;
  if (options.namespaceLabels !== undefined) {
    const record = store.namespace(namespace);
    return record !== undefined && options.namespaceLabels.matches(record.labels);
  }
  return store.hasNamespace(namespace);
}

/** True when the service's namespace is exposed and the `labels` filter matches. */
export function serviceExposed(store: ClusterStore, options: SynthOptions, service: ServiceRecord): boolean {
  if (options.labels !== undefined && !options.labels.matches(service.labels)) return false;
  return namespaceExposed(store, options, service.namespace);
}

/** Endpoints DNS publishes: ready ones, and all of them for `publishNotReadyAddresses` services. */
export function published(endpoint: EndpointRecord, service: ServiceRecord | undefined): boolean {
  return endpoint.ready || service?.publishNotReadyAddresses === true;
}

/** An endpoint's DNS label: its hostname, else (with `endpoint_pod_names`) its pod, else its dashed IP. */
export function endpointHostname(address: string, endpoint: EndpointRecord, podNames: boolean): string {
  if (endpoint.hostname !== undefined) return endpoint.hostname;
  if (podNames && endpoint.podName !== undefined) return endpoint.podName;
  return address.replace(/[.:]/g, '-');
}

function serviceDomain(service: ServiceRecord, zone: string): string {
  return joinZone(`${service.name}.${service.namespace}.svc`, zone);
}

function matchPort(request: RecordRequest, port: PortRecord): boolean {
  return (
    (request.port === '' || request.port === port.name.toLowerCase()) &&
    (request.protocol === '' || request.protocol === port.protocol.toLowerCase())
  );
}

function slicesOf(
  store: ClusterStore,
  options: SynthOptions,
  service: ServiceRecord,
): readonly EndpointSliceRecord[] {
  return options.noEndpoints ? [] : store.endpointSlices(service.namespace, service.name);
}

function hasReadyAddress(store: ClusterStore, options: SynthOptions, service: ServiceRecord): boolean {
  for (const slice of slicesOf(store, options, service)) {
    if (slice.endpoints.some((endpoint) => published(endpoint, service))) return true;
  }
  return false;
}

/** Endpoint entries of a service: every published address, per matching port. */
function endpointEntries(
  store: ClusterStore,
  options: SynthOptions,
  request: RecordRequest,
  service: ServiceRecord,
  zone: string,
): Entry[] {
  const out: Entry[] = [];
  const domain = serviceDomain(service, zone);
  for (const slice of slicesOf(store, options, service)) {
    if (slice.addressType === 'FQDN') continue;
    const ports = slice.ports.length === 0 ? NO_PORTS : slice.ports;
    for (const endpoint of slice.endpoints) {
      if (!published(endpoint, service)) continue;
      for (const address of endpoint.addresses) {
        const hostname = endpointHostname(address, endpoint, options.endpointPodNames);
        if (request.endpoint !== '' && request.endpoint !== hostname.toLowerCase()) continue;
        for (const port of ports) {
          if (matchPort(request, port))
            out.push({ host: address, port: port.port, key: `${hostname}.${domain}`, ttl: options.ttl });
        }
      }
    }
  }
  return out;
}

/** `[_port._proto.|endpoint.]service.namespace.svc.zone`. */
function findServices(
  store: ClusterStore,
  options: SynthOptions,
  request: RecordRequest,
  zone: string,
): Entry[] | undefined {
  // <ns>.svc.<zone> of an exposed namespace is an empty non-terminal.
  if (request.service === '') return [];
  const service = store.service(request.namespace, request.service);
  if (service === undefined || !serviceExposed(store, options, service)) return undefined;
  if (service.type === 'ExternalName') {
    // An ExternalName service has no endpoints; an IP "external name" is no CNAME target.
    if (request.endpoint !== '' || service.externalName === undefined) return undefined;
    if (canonicalIp(service.externalName.slice(0, -1)) !== undefined) return undefined;
    return [{ host: service.externalName, port: -1, key: serviceDomain(service, zone), ttl: options.ttl }];
  }
  if (service.headless || request.endpoint !== '') {
    const entries = endpointEntries(store, options, request, service, zone);
    return entries.length === 0 ? undefined : entries;
  }
  if (options.ignoreEmptyService && !hasReadyAddress(store, options, service)) return undefined;
  const ports = service.ports.length === 0 ? NO_PORTS : service.ports;
  const matching = ports.filter((port) => matchPort(request, port));
  if (matching.length === 0) return undefined;
  const key = serviceDomain(service, zone);
  return matching.flatMap((port) =>
    service.clusterIPs.map((ip) => ({ host: ip, port: port.port, key, ttl: options.ttl })),
  );
}

/** The IP a pod label stands for: `1-2-3-4` -> 1.2.3.4, `fd00--1` -> fd00::1. */
function podLabelIp(label: string): string | undefined {
  const dashes = label.split('-').length - 1;
  const text =
    dashes === 3 && !label.includes('--') ? label.replaceAll('-', '.') : label.replaceAll('-', ':');
  return canonicalIp(text);
}

/** `<a-b-c-d>.<namespace>.pod.<zone>`. */
function findPods(
  store: ClusterStore,
  options: SynthOptions,
  request: RecordRequest,
  zone: string,
): Entry[] | undefined {
  if (options.podMode === 'disabled') return undefined;
  if (request.service === '') return [];
  // Only `<ip>.<ns>.pod.<zone>` names a pod.
  if (request.endpoint !== '' || request.port !== '') return undefined;
  const ip = podLabelIp(request.service);
  if (ip === undefined) return undefined;
  const key = joinZone(`${request.service}.${request.namespace}.pod`, zone);
  if (options.podMode === 'insecure') return [{ host: ip, port: -1, key, ttl: options.ttl }];
  const found = store.podsByIP(ip).some((pod) => pod.namespace === request.namespace && !pod.deleting);
  return found ? [{ host: ip, port: -1, key, ttl: options.ttl }] : undefined;
}

/** CoreDNS's `Records`: what a forward name under `zone` stands for. */
export function records(
  store: ClusterStore,
  options: SynthOptions,
  name: string,
  zone: string,
): Entry[] | undefined {
  const request = parseRequest(name, zone);
  if (request === undefined) return undefined;
  if (request.podOrSvc === '' || request.namespace === '') return [];
  if (!namespaceExposed(store, options, request.namespace)) return undefined;
  return request.podOrSvc === 'pod'
    ? findPods(store, options, request, zone)
    : findServices(store, options, request, zone);
}

/** The DNS server's own records: its service when one of `localIPs` is an endpoint, else `ns.dns.<zone>`. */
export function nsAddresses(
  store: ClusterStore,
  options: SynthOptions,
  zone: string,
): { name: string; ip: string }[] {
  const out: { name: string; ip: string }[] = [];
  const seen = new Set<string>();
  const add = (name: string, ip: string): void => {
    if (!seen.has(`${name} ${ip}`)) out.push({ name, ip });
    seen.add(`${name} ${ip}`);
  };
  for (const local of options.localIPs) {
    for (const hit of store.endpointsByIP(local)) {
      const service =
        hit.slice.service === undefined ? undefined : store.service(hit.slice.namespace, hit.slice.service);
      if (service === undefined) continue;
      const domain = serviceDomain(service, zone);
      if (!service.headless) {
        const ip = service.clusterIPs[0];
        if (ip !== undefined) add(domain, ip);
        continue;
      }
      for (const endpoint of hit.slice.endpoints) {
        if (!published(endpoint, service)) continue;
        for (const address of endpoint.addresses)
          add(`${endpointHostname(address, endpoint, options.endpointPodNames)}.${domain}`, address);
      }
    }
  }
  if (out.length === 0) for (const ip of options.localIPs) add(joinZone('ns.dns', zone), ip);
  return out;
}

/**
 * CoreDNS's `Services` for a query type: `dns-version` TXT, the NS addresses, `ns.dns.<zone>`, else
 * {@link records} (without CNAME targets for SRV).
 */
export function services(
  store: ClusterStore,
  options: SynthOptions,
  name: string,
  zone: string,
  type: string,
): Entry[] | undefined {
  if (type === 'TXT') {
    // Only dns-version.<zone> has a TXT record; every other TXT query is NODATA, never NXDOMAIN.
    if (trimZone(name, zone) !== 'dns-version') return [];
    return [{ host: '', port: -1, key: name, ttl: 28800, text: DNS_SCHEMA_VERSION }];
  }
  if (type === 'NS')
    return nsAddresses(store, options, zone).map(({ name: key, ip }) => ({
      host: ip,
      port: -1,
      key,
      ttl: options.ttl,
    }));
  if (name === joinZone('ns.dns', zone)) {
    const wanted = (ip: string): boolean => (type === 'A' ? isIPv4(ip) : type === 'AAAA' && !isIPv4(ip));
    return nsAddresses(store, options, zone)
      .filter(({ ip }) => wanted(ip))
      .map(({ ip }) => ({ host: ip, port: -1, key: name, ttl: options.ttl }));
  }
  const found = records(store, options, name, zone);
  if (type !== 'SRV' || found === undefined) return found;
  return found.filter((entry) => canonicalIp(entry.host) !== undefined);
}

/** PTR targets of a reverse name: the service with that cluster IP, else the endpoints with that address. */
export function reverse(
  store: ClusterStore,
  options: SynthOptions,
  name: string,
  zone: string,
): Entry[] | undefined {
  const ip = ipFromReverseName(name);
  if (ip === undefined) return records(store, options, name, zone);
  // CoreDNS checks namespaces here only when the `namespaces` option lists some.
  const visible = (namespace: string): boolean =>
    options.namespaces === undefined || namespaceExposed(store, options, namespace);
  for (const service of store.servicesByIP(ip)) {
    if (
      !visible(service.namespace) ||
      (options.labels !== undefined && !options.labels.matches(service.labels))
    )
      continue;
    return [{ host: serviceDomain(service, options.primaryZone), port: -1, key: name, ttl: options.ttl }];
  }
  const out: Entry[] = [];
  if (options.noEndpoints) return undefined;
  for (const { slice, endpoint } of store.endpointsByIP(ip)) {
    const service = slice.service === undefined ? undefined : store.service(slice.namespace, slice.service);
    if (slice.service === undefined || !visible(slice.namespace) || !published(endpoint, service)) continue;
    const hostname = endpointHostname(ip, endpoint, options.endpointPodNames);
    out.push({
      host: joinZone(`${hostname}.${slice.service}.${slice.namespace}.svc`, options.primaryZone),
      port: -1,
      key: name,
      ttl: options.ttl,
    });
  }
  return out.length === 0 ? undefined : out;
}
