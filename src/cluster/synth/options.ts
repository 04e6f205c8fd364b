import type { LabelSelector } from '../selector.js';

/** How pod names (`1-2-3-4.<ns>.pod.<zone>`) are answered. */
export type PodMode = 'disabled' | 'insecure' | 'verified';

/** What the synthesizer needs to know of the `kubernetes` plugin's configuration. */
export interface SynthOptions {
  /** The plugin's zones, normalised. */
  readonly zones: readonly string[];
  /** The first non-reverse zone: PTR targets live there. */
  readonly primaryZone: string;
  /** Record TTL (default 5). */
  readonly ttl: number;
  readonly podMode: PodMode;
  /** `endpoint_pod_names`: name endpoints without a hostname after their pod. */
  readonly endpointPodNames: boolean;
  /** `noendpoints`: no endpoint records (headless services and endpoint names are NXDOMAIN). */
  readonly noEndpoints: boolean;
  /** `ignore empty_service`: NXDOMAIN for ClusterIP services without ready endpoints. */
  readonly ignoreEmptyService: boolean;
  /** `namespaces`: only these are exposed; undefined exposes all. */
  readonly namespaces: ReadonlySet<string> | undefined;
  /** `labels`: only services with matching labels are exposed. */
  readonly labels: LabelSelector | undefined;
  /** `namespace_labels`: only namespaces with matching labels are exposed. */
  readonly namespaceLabels: LabelSelector | undefined;
  /** The DNS server's own addresses, to find its own service for NS records. */
  readonly localIPs: readonly string[];
}

/** CoreDNS's default TTL. */
export const DEFAULT_TTL = 5;

/** The DNS schema version of the Kubernetes DNS specification this implements. */
export const DNS_SCHEMA_VERSION = '1.1.0';
