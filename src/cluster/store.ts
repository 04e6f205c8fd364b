/**
 * The indexed cluster store: nested hash maps keyed by namespace and name, plus reverse indexes
 * by IP. Index values hold a single item until a second one shares the key (most IPs belong to
 * one object), which keeps 100 000 endpoints from costing 100 000 one-element arrays.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import {
  type CompactPod,
  type CompactSlice,
  compactPod,
  compactSlice,
  endpointsWith,
  ipKey,
  podIps,
  podView,
  sliceKeys,
  sliceView,
} from './compact.js';
import { convert, kindOf } from './convert.js';
import type {
  ClusterChange,
  ClusterKind,
  ClusterRecordByKind,
  ClusterStore,
  ClusterStoreEvents,
  EndpointHit,
  EndpointRecord,
  EndpointSliceRecord,
  KubernetesObject,
  NamespaceRecord,
  PodRecord,
  ServiceRecord,
} from './types.js';

/** One item, or several once a key is shared. */
type Bucket<T> = T | T[];

/** Index keys: text, or a small integer for an IPv4 address (see `ipKey`). */
type Key = string | number;

function bucketAdd<T>(index: Map<Key, Bucket<T>>, key: Key, item: T): void {
  const current = index.get(key);
  if (current === undefined) index.set(key, item);
  else if (Array.isArray(current)) current.push(item);
  else index.set(key, [current, item]);
}

function bucketRemove<T>(index: Map<Key, Bucket<T>>, key: Key, matches: (item: T) => boolean): void {
  const current = index.get(key);
  if (current === undefined) return;
  if (!Array.isArray(current)) {
    if (matches(current)) index.delete(key);
    return;
  }
  const kept = current.filter((item) => !matches(item));
  if (kept.length === 0) index.delete(key);
  else index.set(key, kept.length === 1 ? (kept[0] as T) : kept);
}

function bucketList<T>(bucket: Bucket<T> | undefined): readonly T[] {
  if (bucket === undefined) return [];
  return Array.isArray(bucket) ? bucket : [bucket];
}

/** Records of one kind by namespace, then name. */
class Nested<T> {
  readonly byNamespace = new Map<string, Map<string, T>>();
  size = 0;

  get(namespace: string, name: string): T | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  set(namespace: string, name: string, value: T): T | undefined {
    let names = this.byNamespace.get(namespace);
    if (names === undefined) {
      names = new Map();
      this.byNamespace.set(namespace, names);
    }
    const previous = names.get(name);
    names.set(name, value);
    if (previous === undefined) this.size++;
    return previous;
  }

  delete(namespace: string, name: string): T | undefined {
    const names = this.byNamespace.get(namespace);
    const previous = names?.get(name);
    if (names === undefined || previous === undefined) return undefined;
    names.delete(name);
    if (names.size === 0) this.byNamespace.delete(namespace);
    this.size--;
    return previous;
  }

  *values(namespace?: string): Iterable<T> {
    if (namespace !== undefined) {
      yield* this.byNamespace.get(namespace)?.values() ?? [];
      return;
    }
    for (const names of this.byNamespace.values()) yield* names.values();
  }
}

function serviceIps(service: ServiceRecord): readonly string[] {
  return service.externalIPs.length === 0
    ? service.clusterIPs
    : [...service.clusterIPs, ...service.externalIPs];
}

function* converted<K extends ClusterKind>(
  kind: K,
  objects: Iterable<KubernetesObject>,
): Iterable<ClusterRecordByKind[K]> {
  for (const object of objects) {
    const record = convert(kind, object);
    if (record !== undefined) yield record;
  }
}

/** The in-memory implementation of {@link ClusterStore}. */
class MemoryStore extends EventEmitter<ClusterStoreEvents> implements ClusterStore {
  modified = Math.floor(Date.now() / 1000);
  private readonly namespaces = new Map<string, NamespaceRecord>();
  /** Objects per namespace: a namespace with objects exists even without its Namespace object. */
  private readonly namespaceRefs = new Map<string, number>();
  private readonly servicesStore = new Nested<ServiceRecord>();
  /** Slices and pods are kept compact (`compact.ts`); their records are built when read. */
  private readonly slices = new Nested<CompactSlice>();
  private readonly pods = new Nested<CompactPod>();
  private readonly serviceIpIndex = new Map<Key, Bucket<ServiceRecord>>();
  private readonly slicesByService = new Map<Key, Bucket<CompactSlice>>();
  /** Slices by endpoint address (keys from `ipKey`): the endpoint itself is found in the slice at lookup (at most 100 per slice), which saves an object per endpoint. */
  private readonly endpointIpIndex = new Map<Key, Bucket<CompactSlice>>();
  private readonly podIpIndex = new Map<Key, Bucket<CompactPod>>();

  apply(object: KubernetesObject, kind?: ClusterKind): void {
    const resolved = kind ?? kindOf(object);
    if (resolved === undefined) return;
    const converted = convert(resolved, object);
    if (converted !== undefined) this.put(resolved, converted);
  }

  /** Adds or replaces an already converted record. */
  put<K extends ClusterKind>(kind: K, value: ClusterRecordByKind[K]): void {
    const previous = this.insert(kind, value);
    this.changed(kind, previous === undefined ? 'added' : 'modified', value);
  }

  delete(kind: ClusterKind, namespace: string, name: string): boolean {
    const removed = this.remove(kind, namespace, name);
    if (removed !== undefined) this.changed(kind, 'deleted', removed);
    return removed !== undefined;
  }

  replaceAll(kind: ClusterKind, objects: Iterable<KubernetesObject>): void {
    this.replaceRecords(kind, converted(kind, objects));
  }

  /** {@link replaceAll} with records that are already converted (a source that pages its lists). */
  replaceRecords<K extends ClusterKind>(kind: K, records: Iterable<ClusterRecordByKind[K]>): void {
    const keep = new Set<string>();
    for (const record of records) {
      const namespace = 'namespace' in record ? record.namespace : '';
      keep.add(`${namespace}/${record.name}`);
      const current = this.get(kind, namespace, record.name);
      if (current !== undefined && JSON.stringify(current) === JSON.stringify(record)) continue;
      this.put(kind, record);
    }
    const stale: [string, string][] = [];
    for (const existing of this.all(kind)) {
      const namespace = 'namespace' in existing ? existing.namespace : '';
      if (!keep.has(`${namespace}/${existing.name}`)) stale.push([namespace, existing.name]);
    }
    for (const [namespace, name] of stale) this.delete(kind, namespace, name);
  }

  hasNamespace(name: string): boolean {
    return this.namespaces.has(name) || this.namespaceRefs.has(name);
  }
  namespace(name: string): NamespaceRecord | undefined {
    return this.namespaces.get(name);
  }
  namespaceNames(): Iterable<string> {
    return new Set([...this.namespaces.keys(), ...this.namespaceRefs.keys()]);
  }
  service(namespace: string, name: string): ServiceRecord | undefined {
    return this.servicesStore.get(namespace, name);
  }
  services(namespace?: string): Iterable<ServiceRecord> {
    return this.servicesStore.values(namespace);
  }
  servicesByIP(ip: string): readonly ServiceRecord[] {
    return bucketList(this.serviceIpIndex.get(ip));
  }
  endpointSlices(namespace: string, service: string): readonly EndpointSliceRecord[] {
    return bucketList(this.slicesByService.get(`${namespace}/${service}`)).map(sliceView);
  }
  endpointsByIP(ip: string): readonly EndpointHit[] {
    const hits: EndpointHit[] = [];
    const key = ipKey(ip);
    for (const compact of bucketList(this.endpointIpIndex.get(key))) {
      const found = endpointsWith(compact, ip, key);
      if (found.length === 0) continue;
      const slice = sliceView(compact);
      for (const i of found) hits.push({ slice, endpoint: slice.endpoints[i] as EndpointRecord });
    }
    return hits;
  }
  pod(namespace: string, name: string): PodRecord | undefined {
    const pod = this.pods.get(namespace, name);
    return pod === undefined ? undefined : podView(pod);
  }
  podsByIP(ip: string): readonly PodRecord[] {
    return bucketList(this.podIpIndex.get(ipKey(ip))).map(podView);
  }
  count(kind: ClusterKind): number {
    if (kind === 'Namespace') return this.namespaces.size;
    return this.nested(kind).size;
  }

  private nested(kind: Exclude<ClusterKind, 'Namespace'>): Nested<ServiceRecord | CompactSlice | CompactPod> {
    if (kind === 'Service') return this.servicesStore;
    return kind === 'Pod' ? this.pods : this.slices;
  }

  /** The public record (for comparing with a relisted one). */
  private get(kind: ClusterKind, namespace: string, name: string): unknown {
    if (kind === 'Namespace') return this.namespaces.get(name);
    if (kind === 'Service') return this.servicesStore.get(namespace, name);
    if (kind === 'Pod') return this.pod(namespace, name);
    const slice = this.slices.get(namespace, name);
    return slice === undefined ? undefined : sliceView(slice);
  }

  private all(kind: ClusterKind): Iterable<{ readonly name: string; readonly namespace?: string }> {
    return kind === 'Namespace' ? [...this.namespaces.values()] : [...this.nested(kind).values()];
  }

  private insert<K extends ClusterKind>(kind: K, value: ClusterRecordByKind[K]): unknown {
    if (kind === 'Namespace') {
      const namespace = value as NamespaceRecord;
      const previous = this.namespaces.get(namespace.name);
      this.namespaces.set(namespace.name, namespace);
      return previous;
    }
    const record = value as ServiceRecord | EndpointSliceRecord | PodRecord;
    const item =
      kind === 'Service'
        ? (record as ServiceRecord)
        : kind === 'Pod'
          ? compactPod(record as PodRecord)
          : compactSlice(record as EndpointSliceRecord);
    const previous = this.remove(kind, item.namespace, item.name);
    this.nested(kind as Exclude<ClusterKind, 'Namespace'>).set(item.namespace, item.name, item);
    this.namespaceRefs.set(item.namespace, (this.namespaceRefs.get(item.namespace) ?? 0) + 1);
    this.index(kind, item, true);
    return previous;
  }

  private remove(
    kind: ClusterKind,
    namespace: string,
    name: string,
  ): { readonly name: string; readonly namespace?: string } | undefined {
    if (kind === 'Namespace') {
      const previous = this.namespaces.get(name);
      this.namespaces.delete(name);
      return previous;
    }
    const previous = this.nested(kind).delete(namespace, name);
    if (previous === undefined) return undefined;
    const refs = (this.namespaceRefs.get(namespace) ?? 1) - 1;
    if (refs <= 0) this.namespaceRefs.delete(namespace);
    else this.namespaceRefs.set(namespace, refs);
    this.index(kind, previous, false);
    return previous;
  }

  /** Adds an object to (or removes it from) the reverse indexes. */
  private index(kind: ClusterKind, item: ServiceRecord | CompactSlice | CompactPod, add: boolean): void {
    if (kind === 'Service') {
      for (const ip of serviceIps(item as ServiceRecord)) this.update(this.serviceIpIndex, ip, item, add);
    } else if (kind === 'Pod') {
      for (const ip of podIps(item as CompactPod)) this.update(this.podIpIndex, ipKey(ip), item, add);
    } else {
      this.indexSlice(item as CompactSlice, add);
    }
  }

  private indexSlice(slice: CompactSlice, add: boolean): void {
    if (slice.service === undefined) return;
    this.update(this.slicesByService, `${slice.namespace}/${slice.service}`, slice, add);
    for (const key of sliceKeys(slice)) this.update(this.endpointIpIndex, key, slice, add);
  }

  private update<T>(index: Map<Key, Bucket<T>>, key: Key, item: T, add: boolean): void {
    if (add) bucketAdd(index, key, item);
    else bucketRemove(index, key, (candidate) => candidate === item);
  }

  private changed(kind: ClusterKind, type: ClusterChange['type'], value: { name: string }): void {
    this.modified = Math.floor(Date.now() / 1000);
    if (this.listenerCount('change') === 0) return;
    const namespace = 'namespace' in value && typeof value.namespace === 'string' ? value.namespace : '';
    this.emit('change', { kind, type, namespace, name: value.name });
  }
}

/**
 * A new, empty {@link ClusterStore}. Sources (the memory cluster, the API source) feed it with
 * `apply`/`delete`/`replaceAll`; the `kubernetes` plugin reads it.
 */
export function createClusterStore(): ClusterStore & {
  /** Adds or replaces a record that is already converted (bulk loaders skip the JSON step). */
  put<K extends ClusterKind>(kind: K, value: ClusterRecordByKind[K]): void;
  /** Replaces every record of a kind with already converted records: changes only for what differs. */
  replaceRecords<K extends ClusterKind>(kind: K, records: Iterable<ClusterRecordByKind[K]>): void;
} {
  return new MemoryStore();
}
