/**
 * The public contracts of dnskit's authoritative zone data: an immutable {@link Zone}, a
 * {@link ZoneStore} of zones by origin, and the {@link ZoneProvider} interface through which
 * plugins that serve zones (`file`, `auto`, `secondary`) expose them to others (`transfer`).
 */
import type { Rcode, ResourceRecord, RRType, SoaData } from '../wire/types.js';

/** Options of {@link Zone.lookup}. */
export interface LookupOptions {
  /**
   * The query name as the client spelled it (`ctx.rawName`): answers owned by the query name
   * carry this spelling (RFC 4343 case preservation). Default: the normalised query name.
   */
  readonly rawName?: string;
  /** DNSSEC OK (RFC 3225): add the RRSIGs that cover the returned RRsets. */
  readonly do?: boolean;
}

/** The outcome of an authoritative lookup, ready for `ctx.reply`. */
export interface ZoneAnswer {
  /** NOERROR (answer, NODATA, referral), NXDOMAIN, YXDOMAIN (DNAME overflow) or REFUSED (name outside the zone). */
  readonly rcode: Rcode;
  /** AA: false for referrals and names outside the zone. */
  readonly authoritative: boolean;
  readonly answers: readonly ResourceRecord[];
  readonly authorities: readonly ResourceRecord[];
  readonly additionals: readonly ResourceRecord[];
}

/** An SOA record. */
export interface SoaRecord {
  readonly name: string;
  readonly type: 'SOA';
  readonly class: string;
  readonly ttl: number;
  readonly data: SoaData;
}

/**
 * An immutable, in-memory authoritative zone. Build one with `createZone(origin, records)` or
 * from a master file (`parseZone`, `loadZoneFile`); reloads build a new zone and swap it in.
 */
export interface Zone {
  /** The apex, normalised (lowercase, fully qualified). */
  readonly origin: string;
  /** The zone's class (that of its SOA), usually `IN`. */
  readonly class: string;
  /** The apex SOA record. */
  readonly soa: SoaRecord;
  /** The SOA serial (RFC 1982 arithmetic is the caller's business). */
  readonly serial: number;
  /** Number of records, after removing duplicates (RFC 2181 5). */
  readonly size: number;
  /** Answers `qname`/`qtype` as an authoritative server does (RFC 1034 4.3.2, RFC 4592, RFC 6672). */
  lookup(qname: string, qtype: RRType, options?: LookupOptions): ZoneAnswer;
  /**
   * Every record: the SOA first, then names in canonical order (RFC 4034 6.1), the RRsets of a
   * name by type number. An AXFR adds the closing SOA itself.
   */
  records(): IterableIterator<ResourceRecord>;
  /** The records of one RRset (owner names as stored), or an empty array. */
  rrset(name: string, type: RRType): readonly ResourceRecord[];
}

/** Called after a zone of a {@link ZoneStore} was added, replaced (reload) or removed (`undefined`). */
export type ZoneListener = (origin: string, zone: Zone | undefined) => void;

/** The read side of a {@link ZoneStore}: what a {@link ZoneProvider} hands out. */
export interface ZoneSource {
  /** The zone whose origin is the longest suffix of `qname`, if any. */
  find(qname: string): Zone | undefined;
  /** The zone with exactly this origin. */
  get(origin: string): Zone | undefined;
  /** The origins held, sorted. */
  origins(): string[];
  /** Number of zones. */
  readonly size: number;
  /** Subscribes to zone changes (for NOTIFY on reload); returns the unsubscribe function. */
  subscribe(listener: ZoneListener): () => void;
}

/** A mutable map from origins to zones; replacing a zone is one atomic swap. */
export interface ZoneStore extends ZoneSource {
  /** Adds or replaces the zone at `origin` (normalised); listeners run afterwards. */
  set(origin: string, zone: Zone): void;
  /** Removes a zone; returns whether it was there. */
  delete(origin: string): boolean;
}

/**
 * Implemented by plugins that serve zones, so that other plugins of the block (found through
 * `env.chain`) can read them: the `transfer` plugin serves AXFR from them.
 *
 * ```ts
 * const provider = env.chain.find(isZoneProvider);
 * const zone = provider?.zones().get('example.org.');
 * ```
 */
export interface ZoneProvider {
  /** The zones this plugin serves (the live store: reloads show up here). */
  zones(): ZoneSource;
}
