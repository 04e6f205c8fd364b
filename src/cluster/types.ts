/**
 * The cluster model: compact records of what Kubernetes DNS needs, an indexed store of them, and
 * the source interface that both the in-memory cluster and the API-server source implement.
 *
 * Records never keep whole API objects: a cluster of 10 000 services, 100 000 endpoints and 50 000
 * pods has to fit in well under 100 MB of process memory.
 * @module
 */
import type { Logger, Plugin } from '../core/types.js';

/** The kinds of Kubernetes objects the model keeps. */
export type ClusterKind = 'Namespace' | 'Service' | 'EndpointSlice' | 'Pod';

/** The metadata fields the converters read; everything else of an API object is dropped. */
export interface KubeMetadata {
  readonly name?: string | undefined;
  readonly namespace?: string | undefined;
  readonly labels?: Readonly<Record<string, string>> | undefined;
  /** Read from watch events only (the endpoint controller's trigger time), never stored. */
  readonly annotations?: Readonly<Record<string, string>> | undefined;
  /** Only its presence matters: a string from YAML/JSON, a `Date` from `@kubernetes/client-node`. */
  readonly deletionTimestamp?: unknown;
}

/**
 * A Kubernetes API object as YAML manifests and the API give it (plain JSON, or the typed objects
 * of `@kubernetes/client-node`). List items from the API carry no `kind`: pass it separately.
 */
export interface KubernetesObject {
  readonly apiVersion?: string | undefined;
  readonly kind?: string | undefined;
  readonly metadata?: KubeMetadata | undefined;
  readonly spec?: unknown;
  readonly status?: unknown;
  /** EndpointSlice fields (`discovery.k8s.io/v1` keeps them at the top level). */
  readonly addressType?: unknown;
  readonly endpoints?: unknown;
  readonly ports?: unknown;
}

/** Label key/value pairs; absent labels are `undefined`, never an empty object (memory). */
export type Labels = Readonly<Record<string, string>>;

/** A namespace. */
export interface NamespaceRecord {
  readonly name: string;
  readonly labels: Labels | undefined;
}

/** Transport protocols of service and endpoint ports. */
export type PortProtocol = 'TCP' | 'UDP' | 'SCTP';

/** A service or endpoint port. `name` is `''` for an unnamed port. */
export interface PortRecord {
  readonly name: string;
  readonly port: number;
  readonly protocol: PortProtocol;
}

/** Kubernetes service types. */
export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

/** A LoadBalancer ingress point (`status.loadBalancer.ingress[]`). */
export interface IngressRecord {
  readonly ip: string | undefined;
  readonly hostname: string | undefined;
}

/** A service. */
export interface ServiceRecord {
  readonly namespace: string;
  readonly name: string;
  readonly type: ServiceType;
  /**
   * The cluster IPs (`spec.clusterIPs`, else `spec.clusterIP`), canonical text, IPv4 and/or IPv6
   * for dual-stack. Empty for headless services (`None`) and ExternalName services.
   */
  readonly clusterIPs: readonly string[];
  /** `spec.clusterIP: None`: DNS answers with the endpoint addresses. */
  readonly headless: boolean;
  /** `spec.externalName`, fully qualified and lowercased, for ExternalName services. */
  readonly externalName: string | undefined;
  readonly ports: readonly PortRecord[];
  readonly publishNotReadyAddresses: boolean;
  readonly labels: Labels | undefined;
  readonly externalIPs: readonly string[];
  readonly ingress: readonly IngressRecord[];
}

/** Address families of an EndpointSlice. */
export type AddressType = 'IPv4' | 'IPv6' | 'FQDN';

/** One endpoint of an EndpointSlice. */
export interface EndpointRecord {
  /** Canonical IP text (or names, for FQDN slices). */
  readonly addresses: readonly string[];
  /** `conditions.ready`; an unknown (absent) condition counts as ready, as the API documents. */
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly hostname: string | undefined;
  /** `targetRef.name` when the target is a Pod. */
  readonly podName: string | undefined;
  readonly nodeName: string | undefined;
}

/** An EndpointSlice. */
export interface EndpointSliceRecord {
  readonly namespace: string;
  readonly name: string;
  /** The owning service, from the `kubernetes.io/service-name` label. */
  readonly service: string | undefined;
  readonly addressType: AddressType;
  readonly endpoints: readonly EndpointRecord[];
  readonly ports: readonly PortRecord[];
}

/** A pod. */
export interface PodRecord {
  readonly namespace: string;
  readonly name: string;
  /** `status.podIPs` (else `status.podIP`), canonical text. */
  readonly ips: readonly string[];
  readonly phase: string;
  /** `metadata.deletionTimestamp` is set: the pod is terminating. */
  readonly deleting: boolean;
}

/** The record type of each kind. */
export interface ClusterRecordByKind {
  Namespace: NamespaceRecord;
  Service: ServiceRecord;
  EndpointSlice: EndpointSliceRecord;
  Pod: PodRecord;
}

/** An endpoint found by address, with the slice it belongs to. */
export interface EndpointHit {
  readonly slice: EndpointSliceRecord;
  readonly endpoint: EndpointRecord;
}

/** One change of the store. `namespace` is `''` for namespaces. */
export interface ClusterChange {
  readonly kind: ClusterKind;
  readonly type: 'added' | 'modified' | 'deleted';
  readonly namespace: string;
  readonly name: string;
}

/** Events of a {@link ClusterStore}. */
export interface ClusterStoreEvents {
  change: (change: ClusterChange) => void;
}

/**
 * A mutable, indexed store of cluster records. Lookups are O(1) (hash maps); every mutation
 * emits `change` (only when someone listens). IPs are looked up in canonical text form.
 */
export interface ClusterStore {
  /** Adds or replaces an object; `kind` overrides `object.kind` (API list items carry none). Unknown kinds are ignored. */
  apply(object: KubernetesObject, kind?: ClusterKind): void;
  /** Removes an object; `namespace` is ignored for namespaces. True when it existed. */
  delete(kind: ClusterKind, namespace: string, name: string): boolean;
  /** Replaces every object of a kind (a relist): emits changes only for what differs. */
  replaceAll(kind: ClusterKind, objects: Iterable<KubernetesObject>): void;

  /** True when a Namespace object exists or any object lives in that namespace. */
  hasNamespace(name: string): boolean;
  namespace(name: string): NamespaceRecord | undefined;
  /** Every namespace name known (declared or implied by objects). */
  namespaceNames(): Iterable<string>;
  service(namespace: string, name: string): ServiceRecord | undefined;
  /** Services of one namespace, or of all when `namespace` is undefined. */
  services(namespace?: string): Iterable<ServiceRecord>;
  /** Services whose cluster IP (or external IP) is this address. */
  servicesByIP(ip: string): readonly ServiceRecord[];
  /** EndpointSlices owned by a service. */
  endpointSlices(namespace: string, service: string): readonly EndpointSliceRecord[];
  endpointsByIP(ip: string): readonly EndpointHit[];
  pod(namespace: string, name: string): PodRecord | undefined;
  podsByIP(ip: string): readonly PodRecord[];
  /** Number of objects per kind. */
  count(kind: ClusterKind): number;
  /** Unix time in seconds of the last change (CoreDNS uses it as the SOA serial). */
  readonly modified: number;

  on<E extends keyof ClusterStoreEvents>(event: E, listener: ClusterStoreEvents[E]): unknown;
  off<E extends keyof ClusterStoreEvents>(event: E, listener: ClusterStoreEvents[E]): unknown;
}

/** Events of a {@link ClusterSource}. */
export interface ClusterSourceEvents {
  /** Emitted once, when the initial lists are in the store. */
  synced: () => void;
  change: (change: ClusterChange) => void;
  /** Errors that did not stop the source (a failed watch that will be retried, a bad object). */
  error: (error: Error) => void;
}

/** Where cluster records come from: the in-memory cluster, or the API server (`apiCluster`). */
export interface ClusterSource {
  readonly store: ClusterStore;
  /** Starts listing and watching; resolves when started (not necessarily synced). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** True once the initial lists are in the store. */
  synced(): boolean;
  on<E extends keyof ClusterSourceEvents>(event: E, listener: ClusterSourceEvents[E]): unknown;
  off<E extends keyof ClusterSourceEvents>(event: E, listener: ClusterSourceEvents[E]): unknown;
}

/** One request to the API server: a list page or the start of a watch. */
export interface ApiRequestReport {
  /** The HTTP method (`GET`: lists and watches). */
  readonly method: string;
  /** The API server's `host:port`. */
  readonly host: string;
  /** The HTTP status, or `<error>` when none came (refused, reset, timed out), as client-go says. */
  readonly code: string;
  /** From the request to the end of a list page's body, or to a watch's response headers. */
  readonly seconds: number;
}

/** An EndpointSlice change that a watch delivered, with the controller's trigger time. */
export interface EndpointsChangeReport {
  readonly namespace: string;
  /** The slice's service (`kubernetes.io/service-name`). */
  readonly service: string | undefined;
  /**
   * When the change that led to it happened (the `endpoints.kubernetes.io/last-change-trigger-time`
   * annotation), in milliseconds since the epoch; only changes that carry it are reported.
   */
  readonly triggeredAt: number;
}

/** What the API source reports as it works, for metrics (the `kubernetes` plugin's). */
export interface ApiObserver {
  request?(report: ApiRequestReport): void;
  /** Called once the change is in the store, so answers already reflect it. */
  endpointsChanged?(report: EndpointsChangeReport): void;
}

/** Options of `apiCluster()` (`src/cluster/api/`), filled from the `kubernetes` directive. */
export interface ApiClusterOptions {
  /** API server URL (`endpoint`); default: in-cluster config or the kubeconfig's server. */
  readonly endpoint?: string;
  /** Bearer token. */
  readonly token?: string;
  /** Client certificate, key and CA, as file paths (`tls CERT KEY CACERT`). */
  readonly tls?: { readonly cert?: string; readonly key?: string; readonly ca?: string };
  readonly kubeconfig?: { readonly path: string; readonly context?: string };
  /** Only these namespaces are watched; default all. */
  readonly namespaces?: readonly string[];
  /** Label selector for services and EndpointSlices (`labels`). */
  readonly labelSelector?: string;
  /** Label selector for namespaces (`namespace_labels`). */
  readonly namespaceLabelSelector?: string;
  /** Watch pods (needed by `pods verified` and by autopath). */
  readonly watchPods: boolean;
  /** Periodic relist interval; default none. */
  readonly resyncMs?: number;
  readonly logger?: Logger;
  readonly observer?: ApiObserver;
}

/**
 * What the `kubernetes` plugin offers to plugins that build on it (`autopath`, `k8s_external`).
 * Find it with {@link isKubernetesProvider} among `env.chain`.
 */
export interface KubernetesProvider {
  /** The plugin's zones (normalised, fully qualified). */
  readonly zones: readonly string[];
  readonly source: ClusterSource;
  /** The record TTL (`ttl`). */
  readonly ttl: number;
  /**
   * The search path of the pod with this IP: `<ns>.svc.<zone>`, `svc.<zone>`, `<zone>` (the first
   * zone), as CoreDNS's AutoPath gives it; undefined when the client is not a known pod.
   */
  searchPath(clientIp: string): string[] | undefined;
  /** True when the `namespaces` and `namespace_labels` filters let this namespace through. */
  namespaceExposed(namespace: string): boolean;
  /** True when the service's namespace is exposed and the `labels` filter matches it. */
  serviceExposed(service: ServiceRecord): boolean;
}

/** Finds the `kubernetes` plugin's provider in a chain (`env.chain`). */
export function isKubernetesProvider(plugin: Plugin): plugin is Plugin & KubernetesProvider {
  const candidate = plugin as Partial<KubernetesProvider>;
  // Never read `source` here: it is only there once the plugin has started, and plugins earlier
  // in the chain look for it while starting.
  return (
    plugin.name === 'kubernetes' &&
    typeof candidate.searchPath === 'function' &&
    typeof candidate.serviceExposed === 'function'
  );
}
