import { isIP } from 'node:net';
import { endpointHostname, published } from '../../cluster/synth/lookup.js';
import { joinZone, trimZone } from '../../cluster/synth/request.js';
import type { KubernetesProvider, PortRecord, ServiceRecord } from '../../cluster/types.js';

/** One address (or host name) a name resolves to, with a port, and the SRV target it belongs to. */
export interface ExternalEntry {
  /** An IP, or a LoadBalancer ingress host name. */
  readonly host: string;
  /** -1 for a service without ports (no SRV record). */
  readonly port: number;
  /** The SRV target: `svc.ns.<zone>` or `endpoint.svc.ns.<zone>`. */
  readonly target: string;
}

/** The entries of a name and the rcode when there are none (CoreDNS's `External`). */
export interface ExternalResult {
  readonly entries: readonly ExternalEntry[];
  readonly rcode: 'NOERROR' | 'NXDOMAIN';
}

interface ParsedName {
  readonly namespace: string;
  readonly service: string;
  readonly endpoint: string;
  readonly port: string;
  readonly protocol: string;
}

const NX: ExternalResult = { entries: [], rcode: 'NXDOMAIN' };

function strip(label: string): string {
  return label.startsWith('_') ? label.slice(1) : label;
}

/** `service.namespace`, `endpoint.service.namespace` or `_port._proto.service.namespace`. */
function parse(base: string): ParsedName | 'namespace-only' | undefined {
  const segs = base.split('.');
  const namespace = segs.pop() as string;
  const service = segs.pop();
  if (service === undefined) return 'namespace-only';
  const [a, b, ...more] = segs;
  if (more.length > 0) return undefined;
  if (a !== undefined && b !== undefined)
    return { namespace, service, endpoint: '', port: strip(a), protocol: strip(b) };
  return { namespace, service, endpoint: a ?? '', port: '', protocol: '' };
}

function portMatches(name: ParsedName, port: PortRecord): boolean {
  const matches = (want: string, have: string): boolean =>
    want === '' || want === '*' || want === 'any' || want === have.toLowerCase();
  return matches(name.port, port.name) && matches(name.protocol, port.protocol);
}

/** A service without ports still resolves: CoreDNS gives it a sentinel port -1. */
function portsOf(ports: readonly PortRecord[]): readonly PortRecord[] {
  return ports.length > 0 ? ports : [{ name: '', port: -1, protocol: 'TCP' }];
}

/** The external addresses of a service: `spec.externalIPs`, then LoadBalancer ingress IPs or host names. */
export function externalAddresses(service: ServiceRecord): string[] {
  const ingress = service.ingress
    .map((point) => point.ip ?? point.hostname)
    .filter((host) => host !== undefined);
  return [...service.externalIPs, ...ingress];
}

function headlessEntries(k8s: KubernetesProvider, service: ServiceRecord, name: ParsedName, domain: string) {
  const entries: ExternalEntry[] = [];
  for (const slice of k8s.source.store.endpointSlices(service.namespace, service.name)) {
    for (const endpoint of slice.endpoints) {
      if (!published(endpoint, service)) continue;
      for (const address of endpoint.addresses) {
        const hostname = endpointHostname(address, endpoint, false);
        if (name.endpoint !== '' && name.endpoint !== hostname.toLowerCase()) continue;
        for (const port of portsOf(slice.ports)) {
          if (portMatches(name, port))
            entries.push({ host: address, port: port.port, target: `${hostname}.${domain}` });
        }
      }
    }
  }
  return entries;
}

/**
 * What a name under a `k8s_external` zone resolves to: the external IPs and LoadBalancer
 * ingress of `service.namespace`, or with `headless` the endpoints of a headless service.
 */
export function externalLookup(
  k8s: KubernetesProvider,
  name: string,
  zone: string,
  headless: boolean,
): ExternalResult {
  const parsed = parse(trimZone(name, zone));
  const namespace = typeof parsed === 'object' ? parsed.namespace : trimZone(name, zone).split('.').pop();
  if (
    namespace === undefined ||
    !k8s.source.store.hasNamespace(namespace) ||
    !k8s.namespaceExposed(namespace)
  )
    return NX;
  if (parsed === 'namespace-only') return { entries: [], rcode: 'NOERROR' };
  if (parsed === undefined) return NX;
  const service = k8s.source.store.service(parsed.namespace, parsed.service);
  if (service === undefined) return NX;
  const domain = joinZone(`${service.name}.${service.namespace}`, zone);
  const addresses = externalAddresses(service);
  const entries =
    headless && addresses.length === 0 && (service.headless || parsed.endpoint !== '')
      ? headlessEntries(k8s, service, parsed, domain)
      : addresses.flatMap((host) =>
          portsOf(service.ports)
            .filter((port) => portMatches(parsed, port))
            .map((port) => ({ host, port: port.port, target: domain })),
        );
  return entries.length > 0 ? { entries, rcode: 'NOERROR' } : NX;
}

/** The family of an entry's host: 4, 6, or 0 for a host name. */
export function hostFamily(host: string): 0 | 4 | 6 {
  return isIP(host) as 0 | 4 | 6;
}
