/**
 * Compact in-store forms of EndpointSlices and pods. A cluster of 100 000 endpoints and 50 000
 * pods would otherwise spend most of its memory on one small object, one one-element address array
 * and one IP string per endpoint (Node has no pointer compression: 8 bytes per field). Here an
 * IPv4 slice keeps one number per endpoint (address and conditions packed in a double) in parallel
 * arrays, and the public records ({@link EndpointSliceRecord}, {@link PodRecord}) are built when
 * read, which happens only when the `kubernetes` plugin answers a question it has not cached.
 * @module
 */
import type { AddressType, EndpointRecord, EndpointSliceRecord, PodRecord, PortRecord } from './types.js';

const EMPTY: readonly never[] = Object.freeze([]);
const HIGH = 2 ** 32;
const READY = 1;
const SERVING = 2;
const TERMINATING = 4;

/** The uint32 of canonical dotted-quad text; undefined for anything else (IPv6, non-canonical text). */
export function ipv4Number(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    // Canonical text only: lookups by IP compare canonical text, so "010.0.0.1" must not match.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** Dotted-quad text of a uint32. */
export function ipv4Text(value: number): string {
  return `${Math.floor(value / 16777216) % 256}.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

/** An index key for an IP: a small integer for IPv4 (no string kept), the text for IPv6. */
export function ipKey(ip: string): number | string {
  const v4 = ipv4Number(ip);
  return v4 === undefined ? ip : v4 | 0;
}

/** An EndpointSlice as the store keeps it: parallel arrays, one entry per endpoint. */
export interface CompactSlice {
  readonly namespace: string;
  readonly name: string;
  readonly service: string | undefined;
  readonly addressType: AddressType;
  readonly ports: readonly PortRecord[];
  /**
   * Per endpoint: `conditions * 2^32 + address` when `addresses` is undefined (every endpoint has
   * exactly one IPv4 address; a double holds both exactly), else just the condition bits.
   */
  readonly packed: readonly number[];
  /** Per endpoint addresses, for slices that cannot pack theirs (IPv6, FQDN, several addresses). */
  readonly addresses: readonly (readonly string[])[] | undefined;
  /** Per endpoint; undefined when no endpoint has one (the usual case for hostnames). */
  readonly hostnames: Column;
  readonly podNames: Column;
  readonly nodeNames: Column;
}

/**
 * A string per endpoint, or none. Kept as one string joined by newlines (names never hold one, and
 * never are empty: `''` stands for undefined), which costs one string header per slice instead of
 * an array plus a string per endpoint; as an array when some value cannot be joined.
 */
export type Column = string | readonly (string | undefined)[] | undefined;

function column(
  endpoints: readonly EndpointRecord[],
  pick: (endpoint: EndpointRecord) => string | undefined,
): Column {
  const values = endpoints.map(pick);
  if (values.every((value) => value === undefined)) return undefined;
  const joinable = values.every((value) => value === undefined || (value !== '' && !value.includes('\n')));
  return joinable ? values.map((value) => value ?? '').join('\n') : values;
}

/** The values of a column, one per endpoint. */
function columnValues(values: Column, count: number): readonly (string | undefined)[] {
  if (values === undefined) return new Array<undefined>(count).fill(undefined);
  if (typeof values !== 'string') return values;
  return values.split('\n').map((value) => (value === '' ? undefined : value));
}

function flagsOf(endpoint: EndpointRecord): number {
  return (
    (endpoint.ready ? READY : 0) | (endpoint.serving ? SERVING : 0) | (endpoint.terminating ? TERMINATING : 0)
  );
}

/** The compact form of a slice record. */
export function compactSlice(slice: EndpointSliceRecord): CompactSlice {
  const { endpoints } = slice;
  const numbers = endpoints.map((endpoint) =>
    endpoint.addresses.length === 1 ? ipv4Number(endpoint.addresses[0] as string) : undefined,
  );
  const pack = slice.addressType === 'IPv4' && numbers.every((value) => value !== undefined);
  return {
    namespace: slice.namespace,
    name: slice.name,
    service: slice.service,
    addressType: slice.addressType,
    ports: slice.ports,
    packed: endpoints.map(
      (endpoint, i) => flagsOf(endpoint) * (pack ? HIGH : 1) + (pack ? (numbers[i] ?? 0) : 0),
    ),
    addresses: pack ? undefined : endpoints.map((endpoint) => endpoint.addresses),
    hostnames: column(endpoints, (endpoint) => endpoint.hostname),
    podNames: column(endpoints, (endpoint) => endpoint.podName),
    nodeNames: column(endpoints, (endpoint) => endpoint.nodeName),
  };
}

/** The public record of a compact slice (built on every read). */
export function sliceView(slice: CompactSlice): EndpointSliceRecord {
  const count = slice.packed.length;
  const hostnames = columnValues(slice.hostnames, count);
  const podNames = columnValues(slice.podNames, count);
  const nodeNames = columnValues(slice.nodeNames, count);
  const endpoints: EndpointRecord[] = [];
  for (let i = 0; i < count; i++) {
    const packed = slice.packed[i] ?? 0;
    const flags = slice.addresses === undefined ? Math.floor(packed / HIGH) : packed;
    endpoints.push({
      addresses: slice.addresses?.[i] ?? [ipv4Text(packed % HIGH)],
      ready: (flags & READY) !== 0,
      serving: (flags & SERVING) !== 0,
      terminating: (flags & TERMINATING) !== 0,
      hostname: hostnames[i],
      podName: podNames[i],
      nodeName: nodeNames[i],
    });
  }
  return {
    namespace: slice.namespace,
    name: slice.name,
    service: slice.service,
    addressType: slice.addressType,
    endpoints: endpoints.length === 0 ? EMPTY : endpoints,
    ports: slice.ports,
  };
}

/** Index keys of a slice's addresses, each once (FQDN slices have none). */
export function sliceKeys(slice: CompactSlice): Set<number | string> {
  const keys = new Set<number | string>();
  if (slice.addressType === 'FQDN') return keys;
  if (slice.addresses === undefined) for (const packed of slice.packed) keys.add((packed % HIGH) | 0);
  else for (const list of slice.addresses) for (const ip of list) keys.add(ipKey(ip));
  return keys;
}

/** Indexes of the endpoints that have this address (`key` from {@link ipKey}). */
export function endpointsWith(slice: CompactSlice, ip: string, key: number | string): number[] {
  const out: number[] = [];
  for (let i = 0; i < slice.packed.length; i++) {
    const found =
      slice.addresses === undefined
        ? (((slice.packed[i] ?? 0) % HIGH) | 0) === key
        : (slice.addresses[i]?.includes(ip) ?? false);
    if (found) out.push(i);
  }
  return out;
}

/** A pod as the store keeps it: one IPv4 address as a number, other addresses as text. */
export interface CompactPod {
  readonly namespace: string;
  readonly name: string;
  /** The only IP, IPv4, as an int32 (`uint32 | 0`: a small integer, never a boxed number); else the IPs as text. */
  readonly ips: number | readonly string[];
  readonly phase: string;
  readonly deleting: boolean;
}

/** The compact form of a pod record. */
export function compactPod(pod: PodRecord): CompactPod {
  const v4 = pod.ips.length === 1 ? ipv4Number(pod.ips[0] as string) : undefined;
  return {
    namespace: pod.namespace,
    name: pod.name,
    ips: v4 === undefined ? pod.ips : v4 | 0,
    phase: pod.phase,
    deleting: pod.deleting,
  };
}

/** The IPs of a compact pod, canonical text. */
export function podIps(pod: CompactPod): readonly string[] {
  return typeof pod.ips === 'number' ? [ipv4Text(pod.ips >>> 0)] : pod.ips;
}

/** The public record of a compact pod (built on every read). */
export function podView(pod: CompactPod): PodRecord {
  return {
    namespace: pod.namespace,
    name: pod.name,
    ips: podIps(pod),
    phase: pod.phase,
    deleting: pod.deleting,
  };
}
