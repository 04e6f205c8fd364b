/** The packed in-memory form of a zone: one small object per RRset, RDATA values in an array. */
import type { ResourceRecord, RRClass, RRType } from '../wire/types.js';

/** One RRset: the records share owner, type, class and TTL (RFC 2181 5), so only RDATA is per record. */
export interface RRset {
  /** Owner name, normalised. */
  readonly owner: string;
  readonly type: RRType;
  /** The type's number, for ordering and RRSIG matching. */
  readonly code: number;
  readonly class: RRClass;
  readonly ttl: number;
  /** RDATA values, as in {@link ResourceRecord.data}. */
  readonly data: unknown[];
}

/** A name's RRsets, ordered by type number; empty for an empty non-terminal. */
export type ZoneNode = readonly RRset[];

/** The shared node of every empty non-terminal. */
export const EMPTY_NODE: ZoneNode = Object.freeze([]) as ZoneNode;

/** Type numbers the lookup needs. */
export const CODE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  MX: 15,
  AAAA: 28,
  SRV: 33,
  DNAME: 39,
  DS: 43,
  RRSIG: 46,
  NSEC: 47,
  ANY: 255,
} as const;

/** The RRset of type `code` in `node`. */
export function findRRset(node: ZoneNode, code: number): RRset | undefined {
  for (const rrset of node) if (rrset.code === code) return rrset;
  return undefined;
}

/** The records of an RRset, owned by `owner` (the query's spelling) and with `ttl` when given. */
export function materialize(rrset: RRset, owner: string, ttl = rrset.ttl): ResourceRecord[] {
  const records = new Array<ResourceRecord>(rrset.data.length);
  for (let i = 0; i < rrset.data.length; i++) {
    records[i] = {
      name: owner,
      type: rrset.type,
      class: rrset.class,
      ttl,
      data: rrset.data[i],
    } as ResourceRecord;
  }
  return records;
}

/** The RRSIGs in `node` that cover type `code` (the first two RDATA octets, RFC 4034 3.1). */
export function signaturesFor(node: ZoneNode, code: number, owner: string): ResourceRecord[] {
  const sigs = findRRset(node, CODE.RRSIG);
  if (sigs === undefined) return [];
  const covering: ResourceRecord[] = [];
  for (const data of sigs.data) {
    if (data instanceof Uint8Array && data.length >= 2 && ((data[0]! << 8) | data[1]!) === code) {
      covering.push({ name: owner, type: 'RRSIG', class: sigs.class, ttl: sigs.ttl, data });
    }
  }
  return covering;
}
