/**
 * `memoryCluster()`: a {@link ClusterSource} held in memory, built from objects or manifests,
 * synced at once, mutable with change events. For tests, demos, and the `manifests` extension of
 * the `kubernetes` directive. It never loads `@kubernetes/client-node`.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import { parseManifests, readManifests } from './manifests.js';
import { createClusterStore } from './store.js';
import type {
  ClusterKind,
  ClusterSource,
  ClusterSourceEvents,
  ClusterStore,
  EndpointSliceRecord,
  KubernetesObject,
  NamespaceRecord,
  PodRecord,
  PortProtocol,
  ServiceRecord,
  ServiceType,
} from './types.js';

/** A port for the builders: `{ port: 80 }`, `{ name: 'http', port: 80, protocol: 'TCP' }`. */
export interface PortSpec {
  readonly name?: string;
  readonly port: number;
  readonly protocol?: PortProtocol;
}

/** What {@link MemoryCluster.service} builds. */
export interface ServiceSpec {
  readonly name: string;
  /** Default `default`. */
  readonly namespace?: string;
  /** Default `ClusterIP` (`ExternalName` when `externalName` is given). */
  readonly type?: ServiceType;
  /** One cluster IP, or `None` for a headless service. */
  readonly clusterIP?: string;
  /** Dual-stack cluster IPs. */
  readonly clusterIPs?: readonly string[];
  readonly externalName?: string;
  readonly ports?: readonly PortSpec[];
  readonly publishNotReadyAddresses?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  readonly externalIPs?: readonly string[];
  /** LoadBalancer ingress points. */
  readonly ingress?: readonly { readonly ip?: string; readonly hostname?: string }[];
}

/** One endpoint for {@link MemoryCluster.endpoints}. */
export interface EndpointSpec {
  /** One address, or `addresses`. */
  readonly ip?: string;
  readonly addresses?: readonly string[];
  /** Default true. */
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
  readonly hostname?: string;
  /** The pod the endpoint targets (`targetRef`). */
  readonly podName?: string;
  readonly nodeName?: string;
}

/** What {@link MemoryCluster.endpoints} builds: an EndpointSlice owned by `service`. */
export interface EndpointsSpec {
  readonly service: string;
  readonly namespace?: string;
  /** Default `<service>-<n>`. */
  readonly name?: string;
  /** Default: IPv6 when the first address has a colon, else IPv4. */
  readonly addressType?: 'IPv4' | 'IPv6' | 'FQDN';
  readonly endpoints: readonly EndpointSpec[];
  readonly ports?: readonly PortSpec[];
}

/** What {@link MemoryCluster.pod} builds. */
export interface PodSpec {
  readonly name: string;
  readonly namespace?: string;
  readonly ip?: string;
  readonly ips?: readonly string[];
  /** Default `Running`. */
  readonly phase?: string;
  /** A deletion timestamp is set (the pod is terminating). */
  readonly deleting?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
}

/** The in-memory cluster: a {@link ClusterSource} plus mutators and builders. */
export interface MemoryCluster extends ClusterSource {
  /** Adds or replaces objects (API objects or manifest documents). */
  apply(objects: KubernetesObject | Iterable<KubernetesObject>): this;
  /** Removes an object; true when it existed. */
  delete(kind: ClusterKind, namespace: string, name: string): boolean;
  /** Applies every object of a manifest text (multi-document YAML or JSON). */
  load(manifests: string): this;
  /** Builds and applies a Namespace. */
  namespace(name: string, labels?: Readonly<Record<string, string>>): NamespaceRecord;
  /** Builds and applies a Service. */
  service(spec: ServiceSpec): ServiceRecord;
  /** Builds and applies an EndpointSlice for a service. */
  endpoints(spec: EndpointsSpec): EndpointSliceRecord;
  /** Builds and applies a Pod. */
  pod(spec: PodSpec): PodRecord;
}

/** What {@link memoryCluster} starts from: manifest text, or objects. */
export type MemoryClusterInit = string | Iterable<KubernetesObject>;

function ports(specs: readonly PortSpec[] | undefined): unknown[] {
  return (specs ?? []).map((port) => ({
    name: port.name,
    port: port.port,
    protocol: port.protocol ?? 'TCP',
  }));
}

function serviceObject(spec: ServiceSpec): KubernetesObject {
  const type = spec.type ?? (spec.externalName === undefined ? 'ClusterIP' : 'ExternalName');
  const clusterIPs = spec.clusterIPs ?? (spec.clusterIP === undefined ? [] : [spec.clusterIP]);
  return {
    kind: 'Service',
    metadata: { name: spec.name, namespace: spec.namespace ?? 'default', labels: spec.labels },
    spec: {
      type,
      clusterIP: clusterIPs[0],
      clusterIPs,
      externalName: spec.externalName,
      ports: ports(spec.ports),
      publishNotReadyAddresses: spec.publishNotReadyAddresses,
      externalIPs: spec.externalIPs,
    },
    status: { loadBalancer: { ingress: spec.ingress ?? [] } },
  };
}

function endpointObject(endpoint: EndpointSpec): unknown {
  return {
    addresses: endpoint.addresses ?? (endpoint.ip === undefined ? [] : [endpoint.ip]),
    conditions: {
      ready: endpoint.ready ?? true,
      serving: endpoint.serving,
      terminating: endpoint.terminating,
    },
    hostname: endpoint.hostname,
    nodeName: endpoint.nodeName,
    targetRef: endpoint.podName === undefined ? undefined : { kind: 'Pod', name: endpoint.podName },
  };
}

class InMemoryCluster implements MemoryCluster {
  readonly store: ClusterStore = createClusterStore();
  private readonly events = new EventEmitter<ClusterSourceEvents>();
  private sliceCounter = 0;

  constructor() {
    this.store.on('change', (change) => {
      if (this.events.listenerCount('change') > 0) this.events.emit('change', change);
    });
  }

  on<E extends keyof ClusterSourceEvents>(event: E, listener: ClusterSourceEvents[E]): this {
    (this.events.on as (event: E, listener: ClusterSourceEvents[E]) => unknown)(event, listener);
    return this;
  }
  off<E extends keyof ClusterSourceEvents>(event: E, listener: ClusterSourceEvents[E]): this {
    (this.events.off as (event: E, listener: ClusterSourceEvents[E]) => unknown)(event, listener);
    return this;
  }

  async start(): Promise<void> {
    this.events.emit('synced');
  }
  async stop(): Promise<void> {}
  synced(): boolean {
    return true;
  }

  apply(objects: KubernetesObject | Iterable<KubernetesObject>): this {
    const list = Symbol.iterator in objects ? objects : [objects];
    for (const object of list) this.store.apply(object);
    return this;
  }
  delete(kind: ClusterKind, namespace: string, name: string): boolean {
    return this.store.delete(kind, namespace, name);
  }
  load(manifests: string): this {
    return this.apply(parseManifests(manifests));
  }

  namespace(name: string, labels?: Readonly<Record<string, string>>): NamespaceRecord {
    this.store.apply({ kind: 'Namespace', metadata: { name, labels } });
    return this.store.namespace(name) as NamespaceRecord;
  }
  service(spec: ServiceSpec): ServiceRecord {
    this.store.apply(serviceObject(spec));
    return this.store.service(spec.namespace ?? 'default', spec.name) as ServiceRecord;
  }
  endpoints(spec: EndpointsSpec): EndpointSliceRecord {
    const namespace = spec.namespace ?? 'default';
    const name = spec.name ?? `${spec.service}-${++this.sliceCounter}`;
    const first = spec.endpoints[0];
    const firstAddress = first?.ip ?? first?.addresses?.[0] ?? '';
    this.store.apply({
      kind: 'EndpointSlice',
      metadata: { name, namespace, labels: { 'kubernetes.io/service-name': spec.service } },
      addressType: spec.addressType ?? (firstAddress.includes(':') ? 'IPv6' : 'IPv4'),
      endpoints: spec.endpoints.map(endpointObject),
      ports: ports(spec.ports),
    });
    const slice = this.store.endpointSlices(namespace, spec.service).find((item) => item.name === name);
    return slice as EndpointSliceRecord;
  }
  pod(spec: PodSpec): PodRecord {
    const ips = spec.ips ?? (spec.ip === undefined ? [] : [spec.ip]);
    this.store.apply({
      kind: 'Pod',
      metadata: {
        name: spec.name,
        namespace: spec.namespace ?? 'default',
        labels: spec.labels,
        deletionTimestamp: spec.deleting === true ? new Date(0).toISOString() : undefined,
      },
      status: { phase: spec.phase ?? 'Running', podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) },
    });
    return this.store.pod(spec.namespace ?? 'default', spec.name) as PodRecord;
  }
}

/**
 * An in-memory cluster, synced at once.
 *
 * @example
 * ```ts
 * const cluster = memoryCluster(`
 * apiVersion: v1
 * kind: Service
 * metadata: { name: web, namespace: shop }
 * spec: { clusterIP: 10.96.0.20, ports: [{ name: http, port: 80 }] }
 * `);
 * cluster.pod({ name: 'web-1', namespace: 'shop', ip: '10.244.1.5' });
 * ```
 */
export function memoryCluster(init?: MemoryClusterInit): MemoryCluster {
  const cluster = new InMemoryCluster();
  if (typeof init === 'string') cluster.load(init);
  else if (init !== undefined) cluster.apply(init);
  return cluster;
}

/** A memory cluster from a manifest file or a directory of manifests (`*.yaml`, `*.yml`, `*.json`). */
export async function memoryClusterFromPath(path: string): Promise<MemoryCluster> {
  return memoryCluster(await readManifests(path));
}
