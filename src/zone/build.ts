/** Builds the packed form of a zone from records, checking what BIND checks at load time. */

import { normalizeName, typeToNumber } from '../wire/index.js';
import { formatRData } from '../wire/present.js';
import type { ResourceRecord, SoaData } from '../wire/types.js';
import { ZoneError } from './errors.js';
import { isUnder, parentName } from './names.js';
import { CODE, EMPTY_NODE, type RRset, type ZoneNode } from './rrset.js';
import type { SoaRecord } from './types.js';

/** Everything a lookup needs, precomputed once per zone. */
export interface ZoneData {
  readonly origin: string;
  readonly class: string;
  readonly nodes: ReadonlyMap<string, ZoneNode>;
  readonly soa: SoaRecord;
  /** The SOA as the authority section of negative answers: TTL min(SOA TTL, MINIMUM) (RFC 2308 5). */
  readonly negativeSoa: SoaRecord;
  /** Names with NS below the apex (zone cuts) or with a DNAME: where normal lookup stops. */
  readonly interceptors: ReadonlySet<string>;
  readonly size: number;
}

const typeCodes = new Map<string, number>();

function codeOf(type: string): number {
  let code = typeCodes.get(type);
  if (code === undefined) {
    code = typeToNumber(type);
    typeCodes.set(type, code);
  }
  return code;
}

/** RDATA identity for duplicate removal: strings as they are, everything else as presentation text. */
function dataKey(record: ResourceRecord): string {
  return typeof record.data === 'string' ? record.data.toLowerCase() : formatRData(record);
}

class ZoneBuilder {
  readonly nodes = new Map<string, RRset[]>();
  private readonly seen = new Map<RRset, Set<string>>();
  size = 0;
  readonly interceptors = new Set<string>();

  constructor(readonly origin: string) {}

  add(record: ResourceRecord): void {
    const owner = normalizeName(record.name);
    if (!isUnder(owner, this.origin))
      throw new ZoneError(`${record.name} is outside the zone ${this.origin}`);
    const code = codeOf(record.type);
    if (code === 41 || (code >= 249 && code <= 255))
      throw new ZoneError(`${record.type} cannot be zone data (${owner})`);
    let node = this.nodes.get(owner);
    if (node === undefined) {
      node = [];
      this.nodes.set(owner, node);
    }
    const rrset = node.find((set) => set.code === code);
    if (rrset === undefined) {
      node.push({
        owner,
        type: record.type,
        code,
        class: record.class,
        ttl: record.ttl,
        data: [record.data],
      });
      this.size++;
    } else if (this.isNew(rrset, record)) {
      rrset.data.push(record.data);
      this.size++;
    }
    if ((code === CODE.NS && owner !== this.origin) || code === CODE.DNAME) this.interceptors.add(owner);
  }

  /** RFC 2181 5: an RRset holds no duplicates. */
  private isNew(rrset: RRset, record: ResourceRecord): boolean {
    let keys = this.seen.get(rrset);
    if (keys === undefined) {
      keys = new Set(rrset.data.map((data) => dataKey({ ...record, data } as ResourceRecord)));
      this.seen.set(rrset, keys);
    }
    const key = dataKey(record);
    if (keys.has(key)) return false;
    keys.add(key);
    return true;
  }
}

/** Adds the empty non-terminals between every name and the apex (RFC 4592 2.2.2). */
function addEmptyNonTerminals(nodes: Map<string, ZoneNode>, origin: string): void {
  for (const name of [...nodes.keys()]) {
    for (
      let up = parentName(name);
      up !== undefined && up !== origin && !nodes.has(up);
      up = parentName(up)
    ) {
      if (!isUnder(up, origin)) break;
      nodes.set(up, EMPTY_NODE);
    }
  }
}

/** Checks RFC 1034 3.6.2 (CNAME and other data), RFC 6672 2.4 (one DNAME) and sorts RRsets by type. */
function checkNode(name: string, node: RRset[], origin: string): void {
  node.sort((a, b) => a.code - b.code);
  for (const rrset of node) {
    if (rrset.code === CODE.SOA && name !== origin)
      throw new ZoneError(`SOA record at ${name}, not at the apex`);
    if ((rrset.code === CODE.CNAME || rrset.code === CODE.DNAME) && rrset.data.length > 1) {
      throw new ZoneError(`${name} has more than one ${rrset.type} record`);
    }
  }
  const cname = node.some((rrset) => rrset.code === CODE.CNAME);
  if (
    cname &&
    node.some((rrset) => rrset.code !== CODE.CNAME && rrset.code !== CODE.RRSIG && rrset.code !== CODE.NSEC)
  ) {
    throw new ZoneError(`${name} has a CNAME and other data`);
  }
}

function apexSoa(nodes: Map<string, RRset[]>, origin: string): SoaRecord {
  const rrset = nodes.get(origin)?.find((set) => set.code === CODE.SOA);
  if (rrset === undefined) throw new ZoneError(`zone ${origin} has no SOA record at its apex`);
  if (rrset.data.length > 1) throw new ZoneError(`zone ${origin} has more than one SOA record`);
  return { name: origin, type: 'SOA', class: rrset.class, ttl: rrset.ttl, data: rrset.data[0] as SoaData };
}

/** Builds the lookup structures of a zone; throws {@link ZoneError} for unacceptable data. */
export function buildZoneData(originName: string, records: Iterable<ResourceRecord>): ZoneData {
  const origin = normalizeName(originName);
  const builder = new ZoneBuilder(origin);
  for (const record of records) builder.add(record);
  const soa = apexSoa(builder.nodes, origin);
  for (const [name, node] of builder.nodes) {
    checkNode(name, node, origin);
    for (const rrset of node) {
      if (rrset.class !== soa.class)
        throw new ZoneError(`${name} ${rrset.type} is in class ${rrset.class}, the zone in ${soa.class}`);
    }
  }
  const nodes: Map<string, ZoneNode> = builder.nodes;
  addEmptyNonTerminals(nodes, origin);
  const negativeSoa = { ...soa, ttl: Math.min(soa.ttl, soa.data.minimum) };
  return {
    origin,
    class: soa.class,
    nodes,
    soa,
    negativeSoa,
    interceptors: builder.interceptors,
    size: builder.size,
  };
}
