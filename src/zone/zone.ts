/** The immutable {@link Zone} implementation. */
import { normalizeName, typeToNumber } from '../wire/index.js';
import type { ResourceRecord, RRType } from '../wire/types.js';
import { buildZoneData, type ZoneData } from './build.js';
import { lookupZone } from './lookup.js';
import { canonicalKey } from './names.js';
import { CODE, findRRset, materialize } from './rrset.js';
import type { LookupOptions, SoaRecord, Zone } from './types.js';

class MemoryZone implements Zone {
  private sorted: string[] | undefined;

  constructor(private readonly data: ZoneData) {}

  get origin(): string {
    return this.data.origin;
  }
  get class(): string {
    return this.data.class;
  }
  get soa(): SoaRecord {
    return this.data.soa;
  }
  get serial(): number {
    return this.data.soa.data.serial;
  }
  get size(): number {
    return this.data.size;
  }

  lookup(qname: string, qtype: RRType, options: LookupOptions = {}) {
    return lookupZone(this.data, qname, qtype, options);
  }

  *records(): IterableIterator<ResourceRecord> {
    // The SOA first, as a transfer starts with it (RFC 5936 2.2); then names in canonical order.
    yield this.data.soa;
    for (const name of this.canonicalNames()) {
      for (const rrset of this.data.nodes.get(name) ?? []) {
        if (rrset.code !== CODE.SOA) yield* materialize(rrset, rrset.owner);
      }
    }
  }

  rrset(name: string, type: RRType): readonly ResourceRecord[] {
    const node = this.data.nodes.get(normalizeName(name));
    const rrset = node === undefined ? undefined : findRRset(node, typeToNumber(type));
    return rrset === undefined ? [] : materialize(rrset, rrset.owner);
  }

  /** Names in canonical order (RFC 4034 6.1), computed on first use: only transfers need it. */
  private canonicalNames(): string[] {
    if (this.sorted === undefined) {
      const keyed: [string, string][] = [];
      for (const [name, node] of this.data.nodes) if (node.length > 0) keyed.push([canonicalKey(name), name]);
      keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      this.sorted = keyed.map((entry) => entry[1]);
    }
    return this.sorted;
  }
}

/**
 * Builds an immutable zone from records (any order). Duplicate records are dropped (RFC 2181 5);
 * an RRset keeps the TTL of its first record. Throws {@link ZoneError} when there is no SOA at
 * the apex, a record lies outside the zone, a name has a CNAME and other data, or classes differ.
 *
 * @example
 * ```ts
 * const zone = createZone('example.org.', records);
 * const answer = zone.lookup('www.example.org.', 'A');
 * ```
 */
export function createZone(origin: string, records: Iterable<ResourceRecord>): Zone {
  return new MemoryZone(buildZoneData(origin, records));
}
