/**
 * Kubernetes API objects (plain JSON from manifests or the API, or `@kubernetes/client-node`'s
 * typed objects) -> the compact records of the model. Only the fields DNS needs are kept; strings
 * that repeat across objects (namespaces, protocols, port names, node names) are interned so that
 * 100 000 endpoints do not carry 100 000 copies of the same namespace.
 * @module
 */
import { normalizeName } from '../wire/names.js';
import { canonicalIp } from './ip.js';
import type {
  AddressType,
  ClusterKind,
  ClusterRecordByKind,
  EndpointRecord,
  EndpointSliceRecord,
  IngressRecord,
  KubernetesObject,
  Labels,
  NamespaceRecord,
  PodRecord,
  PortProtocol,
  PortRecord,
  ServiceRecord,
  ServiceType,
} from './types.js';

/** The label an EndpointSlice names its service with. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const EMPTY: readonly never[] = Object.freeze([]);
const interned = new Map<string, string>();

/** One shared copy of a short, repeated string (bounded: past 100 000 entries, strings are kept as is). */
export function intern(text: string): string {
  const known = interned.get(text);
  if (known !== undefined) return known;
  if (interned.size < 100_000) interned.set(text, text);
  return text;
}

function record(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : EMPTY;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function labelsOf(value: unknown): Labels | undefined {
  const labels = record(value);
  if (labels === undefined) return undefined;
  const out: Record<string, string> = {};
  let any = false;
  for (const [key, item] of Object.entries(labels)) {
    if (typeof item !== 'string') continue;
    out[intern(key)] = item;
    any = true;
  }
  return any ? out : undefined;
}

/** The object's kind mapped to the model, or undefined for kinds DNS does not use. */
export function kindOf(object: KubernetesObject): ClusterKind | undefined {
  switch (object.kind) {
    case 'Namespace':
    case 'Service':
    case 'EndpointSlice':
    case 'Pod':
      return object.kind;
    default:
      return undefined;
  }
}

function ipsOf(values: Iterable<unknown>): readonly string[] {
  const out: string[] = [];
  for (const value of values) {
    const ip = typeof value === 'string' ? canonicalIp(value) : undefined;
    if (ip !== undefined && !out.includes(ip)) out.push(ip);
  }
  return exact(out);
}

/**
 * An array of exactly its length: arrays grown by `push` keep spare capacity (16 slots at first),
 * which across 100 000 one-address endpoints would cost ~12 MB.
 */
function exact<T>(items: T[]): readonly T[] {
  if (items.length === 0) return EMPTY;
  return items.length === 1 ? [items[0] as T] : items.slice();
}

const PROTOCOLS: ReadonlySet<string> = new Set(['TCP', 'UDP', 'SCTP']);

function portsOf(value: unknown): readonly PortRecord[] {
  const out: PortRecord[] = [];
  for (const item of list(value)) {
    const port = record(item);
    const number = port?.port;
    if (port === undefined || typeof number !== 'number') continue;
    const protocol =
      typeof port.protocol === 'string' && PROTOCOLS.has(port.protocol) ? port.protocol : 'TCP';
    out.push({ name: intern(text(port.name) ?? ''), port: number, protocol: protocol as PortProtocol });
  }
  return internPorts(out);
}

const portLists = new Map<string, readonly PortRecord[]>();

/**
 * One shared, frozen copy of a port list: most slices and services of a cluster declare the same
 * few lists, and each copy costs an array plus an object per port. Bounded like {@link intern}.
 */
function internPorts(ports: PortRecord[]): readonly PortRecord[] {
  if (ports.length === 0) return EMPTY;
  const key = ports.map((port) => `${port.name}/${port.port}/${port.protocol}`).join(' ');
  const known = portLists.get(key);
  if (known !== undefined) return known;
  const list = Object.freeze(ports.map((port) => Object.freeze(port)));
  if (portLists.size < 10_000) portLists.set(key, list);
  return list;
}

/** `metadata.name` and `metadata.namespace` (default `default`, as kubectl applies manifests). */
function identity(object: KubernetesObject): { namespace: string; name: string } | undefined {
  const name = text(object.metadata?.name);
  if (name === undefined) return undefined;
  return { namespace: intern(text(object.metadata?.namespace) ?? 'default'), name };
}

/** A Namespace object; undefined when it has no name. */
export function toNamespace(object: KubernetesObject): NamespaceRecord | undefined {
  const name = text(object.metadata?.name);
  return name === undefined ? undefined : { name: intern(name), labels: labelsOf(object.metadata?.labels) };
}

const SERVICE_TYPES: ReadonlySet<string> = new Set(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);

function ingressOf(status: unknown): readonly IngressRecord[] {
  const balancer = record(record(status)?.loadBalancer);
  const out: IngressRecord[] = [];
  for (const item of list(balancer?.ingress)) {
    const entry = record(item);
    const ip = typeof entry?.ip === 'string' ? canonicalIp(entry.ip) : undefined;
    const hostname = text(entry?.hostname);
    if (ip !== undefined || hostname !== undefined) out.push({ ip, hostname });
  }
  return exact(out);
}

/** A Service object; undefined when it has no name. */
export function toService(object: KubernetesObject): ServiceRecord | undefined {
  const id = identity(object);
  if (id === undefined) return undefined;
  const spec = record(object.spec) ?? {};
  const type = (
    typeof spec.type === 'string' && SERVICE_TYPES.has(spec.type) ? spec.type : 'ClusterIP'
  ) as ServiceType;
  const declared = list(spec.clusterIPs).length > 0 ? list(spec.clusterIPs) : [spec.clusterIP];
  const headless = type !== 'ExternalName' && declared[0] === 'None';
  const externalName = type === 'ExternalName' ? text(spec.externalName) : undefined;
  return {
    namespace: id.namespace,
    name: id.name,
    type,
    clusterIPs: type === 'ExternalName' || headless ? EMPTY : ipsOf(declared),
    headless,
    externalName: externalName === undefined ? undefined : normalizeName(externalName),
    ports: portsOf(spec.ports),
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
    labels: labelsOf(object.metadata?.labels),
    externalIPs: ipsOf(list(spec.externalIPs)),
    ingress: ingressOf(object.status),
  };
}

function endpointOf(value: unknown, addressType: AddressType): EndpointRecord | undefined {
  const endpoint = record(value);
  if (endpoint === undefined) return undefined;
  const raw = list(endpoint.addresses);
  const addresses =
    addressType === 'FQDN' ? raw.filter((item): item is string => typeof item === 'string') : ipsOf(raw);
  if (addresses.length === 0) return undefined;
  const conditions = record(endpoint.conditions) ?? {};
  // An absent condition is "unknown", which consumers should read as ready / serving (API docs).
  const ready = conditions.ready !== false;
  const targetRef = record(endpoint.targetRef);
  const nodeName = text(endpoint.nodeName);
  return {
    addresses,
    ready,
    serving:
      conditions.serving === undefined || conditions.serving === null ? ready : conditions.serving === true,
    terminating: conditions.terminating === true,
    hostname: text(endpoint.hostname),
    podName: targetRef?.kind === 'Pod' || targetRef?.kind === undefined ? text(targetRef?.name) : undefined,
    nodeName: nodeName === undefined ? undefined : intern(nodeName),
  };
}

/** An EndpointSlice object; undefined when it has no name. */
export function toEndpointSlice(object: KubernetesObject): EndpointSliceRecord | undefined {
  const id = identity(object);
  if (id === undefined) return undefined;
  const addressType: AddressType =
    object.addressType === 'IPv6' || object.addressType === 'FQDN' ? object.addressType : 'IPv4';
  const endpoints: EndpointRecord[] = [];
  for (const item of list(object.endpoints)) {
    const endpoint = endpointOf(item, addressType);
    if (endpoint !== undefined) endpoints.push(endpoint);
  }
  const service = text(object.metadata?.labels?.[SERVICE_NAME_LABEL]);
  return {
    namespace: id.namespace,
    name: id.name,
    service: service === undefined ? undefined : intern(service),
    addressType,
    endpoints: exact(endpoints),
    ports: portsOf(object.ports),
  };
}

/** A Pod object; undefined when it has no name. */
export function toPod(object: KubernetesObject): PodRecord | undefined {
  const id = identity(object);
  if (id === undefined) return undefined;
  const status = record(object.status) ?? {};
  const podIPs = list(status.podIPs).map((item) => record(item)?.ip);
  const deletion = object.metadata?.deletionTimestamp;
  return {
    namespace: id.namespace,
    name: id.name,
    ips: ipsOf(podIPs.length > 0 ? podIPs : [status.podIP]),
    phase: intern(text(status.phase) ?? 'Pending'),
    deleting: deletion !== undefined && deletion !== null && deletion !== '',
  };
}

/** Converts an object of a known kind; undefined when it lacks what the model needs. */
export function convert<K extends ClusterKind>(
  kind: K,
  object: KubernetesObject,
): ClusterRecordByKind[K] | undefined {
  const converters = {
    Namespace: toNamespace,
    Service: toService,
    EndpointSlice: toEndpointSlice,
    Pod: toPod,
  };
  return converters[kind](object) as ClusterRecordByKind[K] | undefined;
}
