/**
 * Authoritative lookup over a built zone, as BIND and CoreDNS's `file` plugin answer:
 * RFC 1034 4.3.2 (the algorithm), RFC 2308 (negative answers), RFC 4592 (wildcards),
 * RFC 6672 (DNAME).
 */
import { normalizeName, typeToNumber, validateName } from '../wire/index.js';
import type { Rcode, ResourceRecord, RRType } from '../wire/types.js';
import type { ZoneData } from './build.js';
import { isUnder, parentName } from './names.js';
import { CODE, findRRset, materialize, type RRset, signaturesFor, type ZoneNode } from './rrset.js';
import type { LookupOptions, ZoneAnswer } from './types.js';

/** A CNAME chain inside one zone is followed at most this far (BIND stops at 16 too). */
const MAX_CHAIN = 16;

interface Outcome {
  rcode: Rcode;
  authoritative: boolean;
  readonly answers: ResourceRecord[];
  readonly authorities: ResourceRecord[];
  readonly additionals: ResourceRecord[];
}

interface Search {
  readonly zone: ZoneData;
  readonly code: number;
  readonly do: boolean;
  readonly out: Outcome;
  /** The query name, then the names the CNAME chain visited (loop safety). */
  readonly first: string;
  visited: Set<string> | undefined;
  /** Owners already given addresses in ADDITIONAL. */
  additionalFor: Set<string> | undefined;
  /** The CNAME chain ended outside this zone: the zone is not authoritative for its end. */
  leftZone: boolean;
}

const REFUSED: ZoneAnswer = Object.freeze({
  rcode: 'REFUSED',
  authoritative: false,
  answers: [],
  authorities: [],
  additionals: [],
});

function typeCode(type: RRType): number {
  try {
    return typeToNumber(type);
  } catch {
    return -1;
  }
}

/** Looks `qname`/`qtype` up in `zone`; names outside it get REFUSED. */
export function lookupZone(zone: ZoneData, qname: string, qtype: RRType, options: LookupOptions): ZoneAnswer {
  let name: string;
  try {
    name = normalizeName(qname);
  } catch {
    return REFUSED;
  }
  if (!isUnder(name, zone.origin)) return REFUSED;
  const out: Outcome = {
    rcode: 'NOERROR',
    authoritative: true,
    answers: [],
    authorities: [],
    additionals: [],
  };
  const search: Search = {
    zone,
    code: typeCode(qtype),
    do: options.do === true,
    out,
    first: name,
    visited: undefined,
    additionalFor: undefined,
    leftZone: false,
  };
  resolve(search, name, options.rawName ?? name, 0);
  addApexNs(search, name);
  return out;
}

/**
 * The apex NS RRset in AUTHORITY of positive answers, with the addresses of in-zone name servers
 * in ADDITIONAL, as BIND (and CoreDNS's `file`) answer a query without RD. Not for the apex NS
 * query itself, and not when a CNAME chain left the zone: BIND then leaves AUTHORITY empty.
 */
function addApexNs(search: Search, name: string): void {
  const { out, zone } = search;
  if (out.rcode !== 'NOERROR' || out.answers.length === 0 || out.authorities.length > 0) return;
  if ((name === zone.origin && search.code === CODE.NS) || search.leftZone) return;
  const sections = apexSections(zone, search.do);
  if (sections === undefined) return;
  for (const record of sections.authorities) out.authorities.push(record);
  for (const record of sections.additionals) {
    // An address the answer already carries (a query for the name server itself) is not repeated.
    if (search.additionalFor?.has(record.name) || hasRecord(out.answers, record)) continue;
    out.additionals.push(record);
  }
}

interface ApexSections {
  readonly authorities: readonly ResourceRecord[];
  readonly additionals: readonly ResourceRecord[];
}

/** The apex NS and its in-zone addresses never change for an immutable zone: built once per zone. */
const apexCache = new WeakMap<
  ZoneData,
  { plain?: ApexSections | undefined; dnssec?: ApexSections | undefined }
>();

function apexSections(zone: ZoneData, dnssec: boolean): ApexSections | undefined {
  let entry = apexCache.get(zone);
  if (entry === undefined) {
    entry = {};
    apexCache.set(zone, entry);
  }
  const key = dnssec ? 'dnssec' : 'plain';
  if (!(key in entry)) entry[key] = buildApexSections(zone, dnssec);
  return entry[key];
}

function buildApexSections(zone: ZoneData, dnssec: boolean): ApexSections | undefined {
  const apex = zone.nodes.get(zone.origin);
  const ns = apex === undefined ? undefined : findRRset(apex, CODE.NS);
  if (apex === undefined || ns === undefined) return undefined;
  const out: Outcome = {
    rcode: 'NOERROR',
    authoritative: true,
    answers: [],
    authorities: [],
    additionals: [],
  };
  const search: Search = {
    zone,
    code: CODE.NS,
    do: dnssec,
    out,
    first: zone.origin,
    visited: undefined,
    additionalFor: undefined,
    leftZone: false,
  };
  pushRRset(search, apex, ns, ns.owner, out.authorities);
  addTargetAddresses(search, ns);
  return { authorities: out.authorities, additionals: out.additionals };
}

function hasRecord(records: readonly ResourceRecord[], record: ResourceRecord): boolean {
  return records.some(
    (r) => r.type === record.type && r.name.toLowerCase() === record.name && r.data === record.data,
  );
}

function resolve(search: Search, name: string, spelled: string, depth: number): void {
  const { zone } = search;
  if (zone.interceptors.size > 0) {
    const above = cutOrDname(search, name);
    if (above?.kind === 'dname') {
      synthesize(search, name, spelled, above.node, above.owner, depth);
      return;
    }
    if (above?.kind === 'cut') {
      referral(search, above.node);
      return;
    }
  }
  const node = zone.nodes.get(name) ?? wildcardFor(zone, name);
  if (node === undefined) nameError(search);
  else answerNode(search, node, spelled, depth);
}

interface Interception {
  readonly kind: 'cut' | 'dname';
  readonly owner: string;
  readonly node: ZoneNode;
}

/**
 * The highest zone cut (NS below the apex) or DNAME at or above `name` that takes the query
 * away from normal processing. A DS query at a cut is answered by the parent (RFC 4035 3.1.4.1);
 * a DNAME redirects only names strictly below its owner (RFC 6672 2.3).
 */
function cutOrDname(search: Search, name: string): Interception | undefined {
  const { nodes, origin, interceptors } = search.zone;
  let found: Interception | undefined;
  for (let at: string | undefined = name; at !== undefined; at = at === origin ? undefined : parentName(at)) {
    // The small set first: most names have no cut or DNAME above them.
    const node = interceptors.has(at) ? nodes.get(at) : undefined;
    if (node === undefined) continue;
    if (at !== origin && !(at === name && search.code === CODE.DS) && findRRset(node, CODE.NS)) {
      found = { kind: 'cut', owner: at, node };
    }
    if (at !== name && findRRset(node, CODE.DNAME)) found = { kind: 'dname', owner: at, node };
  }
  return found;
}

/** RFC 4592 3.3.1: the source of synthesis is `*.` + the closest encloser, if it exists. */
function wildcardFor(zone: ZoneData, name: string): ZoneNode | undefined {
  let encloser = parentName(name);
  while (encloser !== undefined && !zone.nodes.has(encloser)) encloser = parentName(encloser);
  if (encloser === undefined) return undefined;
  return zone.nodes.get(encloser === '.' ? '*.' : `*.${encloser}`);
}

function answerNode(search: Search, node: ZoneNode, spelled: string, depth: number): void {
  if (search.code === CODE.ANY && node.length > 0) {
    for (const rrset of node) pushRRset(search, node, rrset, spelled, search.out.answers);
    return;
  }
  const rrset = findRRset(node, search.code);
  if (rrset !== undefined) {
    pushRRset(search, node, rrset, spelled, search.out.answers);
    addTargetAddresses(search, rrset);
    return;
  }
  const cname = search.code === CODE.CNAME ? undefined : findRRset(node, CODE.CNAME);
  if (cname === undefined) {
    noData(search, node, spelled);
    return;
  }
  pushRRset(search, node, cname, spelled, search.out.answers);
  follow(search, cname.data[0] as string, depth);
}

/** Follows a CNAME (or synthesised CNAME) target while it stays inside the zone. */
function follow(search: Search, target: string, depth: number): void {
  let name: string;
  try {
    name = normalizeName(target);
  } catch {
    return;
  }
  if (!isUnder(name, search.zone.origin)) {
    search.leftZone = true;
    return;
  }
  if (depth >= MAX_CHAIN) return;
  search.visited ??= new Set([search.first]);
  if (search.visited.has(name)) return;
  search.visited.add(name);
  resolve(search, name, target, depth + 1);
}

function pushRRset(
  search: Search,
  node: ZoneNode,
  rrset: RRset,
  owner: string,
  into: ResourceRecord[],
): void {
  for (const record of materialize(rrset, owner)) into.push(record);
  if (search.do && rrset.code !== CODE.RRSIG) {
    for (const sig of signaturesFor(node, rrset.code, owner)) into.push(sig);
  }
}

/** NODATA (RFC 2308 2.2): the SOA in AUTHORITY with the negative TTL, the name's NSEC when DO. */
function noData(search: Search, node: ZoneNode, owner: string): void {
  addNegativeSoa(search);
  const nsec = search.do ? findRRset(node, CODE.NSEC) : undefined;
  if (nsec !== undefined) pushRRset(search, node, nsec, owner, search.out.authorities);
}

/** NXDOMAIN (RFC 2308 2.1); at the end of a CNAME chain it still sets the rcode, as BIND does. */
function nameError(search: Search): void {
  search.out.rcode = 'NXDOMAIN';
  addNegativeSoa(search);
}

function addNegativeSoa(search: Search): void {
  const { zone, out } = search;
  out.authorities.push(zone.negativeSoa);
  if (!search.do) return;
  const apex = zone.nodes.get(zone.origin);
  if (apex === undefined) return;
  for (const sig of signaturesFor(apex, CODE.SOA, zone.origin)) {
    out.authorities.push({ ...sig, ttl: zone.negativeSoa.ttl });
  }
}

/** A referral (RFC 1034 4.3.2 step 3b): AA clear unless a CNAME already answered, NS in AUTHORITY, glue. */
function referral(search: Search, node: ZoneNode): void {
  const ns = findRRset(node, CODE.NS);
  if (ns === undefined) return;
  const { out } = search;
  out.authoritative = out.answers.length > 0;
  for (const record of materialize(ns, ns.owner)) out.authorities.push(record);
  const ds = search.do ? findRRset(node, CODE.DS) : undefined;
  if (ds !== undefined) pushRRset(search, node, ds, ds.owner, out.authorities);
  addTargetAddresses(search, ns);
}

/** DNAME substitution (RFC 6672 3.1): the DNAME, a CNAME with the DNAME's TTL, then the new name. */
function synthesize(
  search: Search,
  name: string,
  spelled: string,
  node: ZoneNode,
  owner: string,
  depth: number,
): void {
  const dname = findRRset(node, CODE.DNAME);
  if (dname === undefined) return;
  const { out } = search;
  pushRRset(search, node, dname, dname.owner, out.answers);
  const prefix = owner === '.' ? name : name.slice(0, name.length - owner.length);
  const spelledPrefix = spelled.length === name.length ? spelled.slice(0, prefix.length) : prefix;
  const target = dname.data[0] as string;
  const rewritten = target === '.' ? spelledPrefix : spelledPrefix + target;
  try {
    validateName(rewritten);
  } catch {
    // RFC 6672 2.2: a substitution longer than 255 octets is YXDOMAIN.
    out.rcode = 'YXDOMAIN';
    return;
  }
  out.answers.push({ name: spelled, type: 'CNAME', class: dname.class, ttl: dname.ttl, data: rewritten });
  follow(search, rewritten, depth);
}

function targetOf(rrset: RRset, data: unknown): string | undefined {
  switch (rrset.code) {
    case CODE.NS:
      return data as string;
    case CODE.MX:
      return (data as { exchange: string }).exchange;
    case CODE.SRV:
      return (data as { target: string }).target;
    default:
      return undefined;
  }
}

/** RFC 1035 3.3.9/3.3.11, RFC 2782: addresses of NS, MX and SRV targets that this zone holds. */
function addTargetAddresses(search: Search, rrset: RRset): void {
  if (rrset.code !== CODE.NS && rrset.code !== CODE.MX && rrset.code !== CODE.SRV) return;
  const { zone, out } = search;
  for (const data of rrset.data) {
    const target = targetOf(rrset, data);
    if (target === undefined) continue;
    const name = safeNormalize(target);
    if (name === undefined || !isUnder(name, zone.origin)) continue;
    search.additionalFor ??= new Set();
    if (search.additionalFor.has(name)) continue;
    search.additionalFor.add(name);
    const node = zone.nodes.get(name);
    if (node === undefined) continue;
    for (const code of [CODE.A, CODE.AAAA]) {
      const addresses = findRRset(node, code);
      if (addresses !== undefined) pushRRset(search, node, addresses, addresses.owner, out.additionals);
    }
  }
}

function safeNormalize(name: string): string | undefined {
  try {
    return normalizeName(name);
  } catch {
    return undefined;
  }
}
