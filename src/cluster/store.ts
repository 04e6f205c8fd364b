/**
 * The indexed cluster store: nested hash maps keyed by namespace and name, plus reverse indexes
 * by IP. Index values hold a single item until a second one shares the key (most IPs belong to
 * one object), which keeps 100 000 endpoints from costing 100 000 one-element arrays.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import { convert, kindOf } from './convert.js';
import type {
  ClusterChange,
  ClusterKind,
  ClusterRecordByKind,
  ClusterStore,
  ClusterStoreEvents,
  EndpointHit,
  EndpointSliceRecord,
  KubernetesObject,
  NamespaceRecord,
  PodRecord,
  ServiceRecord,
} from './types.js';

/** One item, or several once a key is shared. */
type Bucket<T> = T | T[];

function bucketAdd<T>(index: Map<string, Bucket<T>>, key: string, item: T): void {
  const current = index.get(key);
  if (current === undefined) index.set(key, item);
  else if (Array.isArray(current)) current.push(item);
  else index.set(key, [current, item]);
}

function bucketRemove<T>(index: Map<string, Bucket<T>>, key: string, matches: (item: T) => boolean): void {
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
  private readonly slices = new Nested<EndpointSliceRecord>();
  private readonly pods = new Nested<PodRecord>();
  private readonly serviceIpIndex = new Map<string, Bucket<ServiceRecord>>();
  private readonly slicesByService = new Map<string, Bucket<EndpointSliceRecord>>();
  /** Slices by endpoint address: the endpoint itself is found in the slice at lookup (at most 100 per slice), which saves an object per endpoint. */
  private readonly endpointIpIndex = new Map<string, Bucket<EndpointSliceRecord>>();
  private readonly podIpIndex = new Map<string, Bucket<PodRecord>>();

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
    return bucketList(this.slicesByService.get(`${namespace}/${service}`));
  }
  endpointsByIP(ip: string): readonly EndpointHit[] {
    const hits: EndpointHit[] = [];
    for (const slice of bucketList(this.endpointIpIndex.get(ip))) {
      for (const endpoint of slice.endpoints)
        if (endpoint.addresses.includes(ip)) hits.push({ slice, endpoint });
    }
    return hits;
  }
  pod(namespace: string, name: string): PodRecord | undefined {
    return this.pods.get(namespace, name);
  }
  podsByIP(ip: string): readonly PodRecord[] {
    return bucketList(this.podIpIndex.get(ip));
  }
  count(kind: ClusterKind): number {
    if (kind === 'Namespace') return this.namespaces.size;
    return this.nested(kind).size;
  }

  private nested(
    kind: Exclude<ClusterKind, 'Namespace'>,
  ): Nested<ServiceRecord | EndpointSliceRecord | PodRecord> {
    if (kind === 'Service') return this.servicesStore;
    return kind === 'Pod' ? this.pods : this.slices;
  }

  private get(kind: ClusterKind, namespace: string, name: string): unknown {
    return kind === 'Namespace' ? this.namespaces.get(name) : this.nested(kind).get(namespace, name);
  }

  private all(
    kind: ClusterKind,
  ): Iterable<NamespaceRecord | ServiceRecord | EndpointSliceRecord | PodRecord> {
    return kind === 'Namespace' ? [...this.namespaces.values()] : [...this.nested(kind).values()];
  }

  private insert<K extends ClusterKind>(
    kind: K,
    value: ClusterRecordByKind[K],
  ): ClusterRecordByKind[K] | undefined {
    if (kind === 'Namespace') {
      const namespace = value as NamespaceRecord;
      const previous = this.namespaces.get(namespace.name);
      this.namespaces.set(namespace.name, namespace);
      return previous as ClusterRecordByKind[K] | undefined;
    }
    const item = value as ServiceRecord | EndpointSliceRecord | PodRecord;
    const previous = this.remove(kind, item.namespace, item.name);
    this.nested(kind as Exclude<ClusterKind, 'Namespace'>).set(item.namespace, item.name, item);
    this.namespaceRefs.set(item.namespace, (this.namespaceRefs.get(item.namespace) ?? 0) + 1);
    this.index(kind, item, true);
    return previous as ClusterRecordByKind[K] | undefined;
  }

  private remove(
    kind: ClusterKind,
    namespace: string,
    name: string,
  ): ClusterRecordByKind[ClusterKind] | undefined {
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
  private index(
    kind: ClusterKind,
    item: ServiceRecord | EndpointSliceRecord | PodRecord,
    add: boolean,
  ): void {
    if (kind === 'Service') {
      for (const ip of serviceIps(item as ServiceRecord)) this.update(this.serviceIpIndex, ip, item, add);
    } else if (kind === 'Pod') {
      for (const ip of (item as PodRecord).ips) this.update(this.podIpIndex, ip, item, add);
    } else {
      this.indexSlice(item as EndpointSliceRecord, add);
    }
  }

  private indexSlice(slice: EndpointSliceRecord, add: boolean): void {
    if (slice.service === undefined) return;
    this.update(this.slicesByService, `${slice.namespace}/${slice.service}`, slice, add);
    if (slice.addressType === 'FQDN') return;
    const seen = new Set<string>();
    for (const endpoint of slice.endpoints) {
      for (const ip of endpoint.addresses) {
        if (seen.has(ip)) continue;
        seen.add(ip);
        this.update(this.endpointIpIndex, ip, slice, add);
      }
    }
  }

  private update<T>(index: Map<string, Bucket<T>>, key: string, item: T, add: boolean): void {
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
