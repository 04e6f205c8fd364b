import { serverUdpPayloadSize } from '../../core/response.js';
import type { ResponseType } from '../../plugin-kit/response-type.js';
import type { DnsMessage, Edns, EdnsOption, HeaderFlags, Rcode, ResourceRecord } from '../../wire/types.js';

/** CoreDNS's bounds (`dnsutil`): a TTL of 5 s when there is nothing to go by, 1 h at most. */
export const MINIMAL_DEFAULT_TTL = 5;
export const MAXIMUM_DEFAULT_TTL = 3600;

/** Which of the two caches an entry lives in. */
export type CacheKind = 'success' | 'denial';

/** The records of a response, every TTL set to one value. */
interface Sections {
  readonly answers: readonly ResourceRecord[];
  readonly authorities: readonly ResourceRecord[];
  readonly additionals: readonly ResourceRecord[];
}

const NONE: readonly ResourceRecord[] = Object.freeze([]);

function withTtl(records: readonly ResourceRecord[], ttl: number): readonly ResourceRecord[] {
  if (records.length === 0) return NONE;
  return records.map((record) => (record.ttl === ttl ? record : ({ ...record, ttl } as ResourceRecord)));
}

/** The records of a message with every TTL replaced (the cache answers with one TTL throughout). */
export function sectionsWithTtl(message: Sections, ttl: number): Sections {
  return {
    answers: withTtl(message.answers, ttl),
    authorities: withTtl(message.authorities, ttl),
    additionals: withTtl(message.additionals, ttl),
  };
}

/**
 * The TTL a response may be cached for before bounds, as CoreDNS's `MinimalTTL`: the lowest TTL
 * of its records, 5 s for responses without records or of other types (referrals, errors). For
 * a negative answer the SOA's MINIMUM also bounds it (RFC 2308 section 5: min(SOA TTL, MINIMUM)).
 */
export function minimalTtl(message: DnsMessage, type: ResponseType): number {
  if (type !== 'NOERROR' && type !== 'NXDOMAIN' && type !== 'NODATA') return MINIMAL_DEFAULT_TTL;
  if (message.answers.length + message.authorities.length + message.additionals.length === 0) {
    return MINIMAL_DEFAULT_TTL;
  }
  let ttl = MAXIMUM_DEFAULT_TTL;
  for (const section of [message.answers, message.authorities, message.additionals]) {
    for (const record of section) {
      if (record.ttl < ttl) ttl = record.ttl;
      if (type !== 'NOERROR' && record.type === 'SOA' && typeof record.data === 'object') {
        const minimum = (record.data as { minimum?: number }).minimum;
        if (minimum !== undefined && minimum < ttl) ttl = minimum;
      }
    }
  }
  return ttl;
}

/** EDNS of a cached answer: our payload size, DO echoed; the upstream's options are hop-by-hop. */
const NO_OPTIONS: readonly EdnsOption[] = Object.freeze([]);
const EDNS_DO: Edns = Object.freeze({
  udpPayloadSize: serverUdpPayloadSize,
  version: 0,
  do: true,
  options: NO_OPTIONS,
});
const EDNS_PLAIN: Edns = Object.freeze({
  udpPayloadSize: serverUdpPayloadSize,
  version: 0,
  do: false,
  options: NO_OPTIONS,
});

/**
 * One cached response. The records are kept as received; the copies with the TTL of the current
 * second are made once and shared by every hit in that second, so a hit allocates only the
 * message and its flags.
 */
export class CacheEntry {
  /** Hits seen for prefetch: count and time of the last one (CoreDNS's `freq`). */
  hits = 0;
  lastHit = Number.NEGATIVE_INFINITY;
  private memoTtl = -1;
  private memo: Sections | undefined;
  /** Response flags by (RD, CD, AD allowed): most clients send the same bits, so one object serves. */
  private readonly flagMemo: (HeaderFlags | undefined)[] = [];

  constructor(
    readonly kind: CacheKind,
    /** The question it answers: lowercased name, type, class. */
    readonly name: string,
    readonly type: string,
    readonly qclass: string,
    readonly rcode: Rcode,
    readonly flags: { readonly aa: boolean; readonly ra: boolean; readonly ad: boolean },
    private readonly sections: Sections,
    /** Seconds it may be served (after bounds). */
    readonly origTtl: number,
    /** Clock time (ms) it was stored. */
    readonly storedAt: number,
  ) {}

  /** Seconds left; zero or negative once expired (then only serve_stale may use it). */
  ttl(now: number): number {
    return this.origTtl - Math.floor((now - this.storedAt) / 1000);
  }

  /** The records with this TTL, made once per distinct TTL. */
  records(ttl: number): Sections {
    if (ttl !== this.memoTtl || this.memo === undefined) {
      this.memo = sectionsWithTtl(this.sections, ttl);
      this.memoTtl = ttl;
    }
    return this.memo;
  }

  /**
   * The answer to `request` with every TTL at `ttl`: the request's ID, question (as the client
   * spelled it), RD and CD; AA, RA and rcode as cached; AD only for clients that asked for
   * DNSSEC (DO) or set AD themselves (RFC 6840 5.7-5.8).
   */
  toResponse(request: DnsMessage, ttl: number): DnsMessage {
    const records = this.records(ttl);
    const edns = request.edns;
    const dnssecOk = edns?.do === true;
    return {
      id: request.id,
      opcode: request.opcode,
      rcode: this.rcode,
      flags: this.responseFlags(request.flags, dnssecOk),
      questions: request.questions,
      answers: records.answers,
      authorities: records.authorities,
      additionals: records.additionals,
      edns: edns === undefined ? undefined : dnssecOk ? EDNS_DO : EDNS_PLAIN,
    };
  }

  private responseFlags(request: HeaderFlags, dnssecOk: boolean): HeaderFlags {
    const { aa, ra, ad } = this.flags;
    const keepAd = ad && (dnssecOk || request.ad);
    const index = (request.rd ? 1 : 0) | (request.cd ? 2 : 0) | (keepAd ? 4 : 0);
    let flags = this.flagMemo[index];
    if (flags === undefined) {
      flags = Object.freeze({
        qr: true,
        aa,
        tc: false,
        rd: request.rd,
        ra,
        z: false,
        ad: keepAd,
        cd: request.cd,
      });
      this.flagMemo[index] = flags;
    }
    return flags;
  }
}
