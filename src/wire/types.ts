/**
 * dnskit's own typed DNS message model. Never exposes dns-packet's types: the wire layer
 * converts between these and the bytes on the wire.
 *
 * Conventions:
 * - Names are fully qualified, in presentation form, with the trailing dot (`example.org.`; the
 *   root is `.`). Special characters in labels are escaped as in RFC 1035 section 5.1 (`\.`, `\DDD`).
 * - Types and classes are mnemonics (`A`, `IN`); those without one use the RFC 3597 generic
 *   spelling (`TYPE65534`, `CLASS42`).
 * - Rcodes are names, including the EDNS extended ones (`BADVERS`); unnamed ones are `RCODE<n>`.
 */

/** A record type mnemonic such as `A`, `AAAA`, `SRV`, or `TYPE65534` for types without one. */
export type RRType =
  | 'A'
  | 'NS'
  | 'CNAME'
  | 'SOA'
  | 'PTR'
  | 'HINFO'
  | 'MX'
  | 'TXT'
  | 'AAAA'
  | 'SRV'
  | 'NAPTR'
  | 'DNAME'
  | 'OPT'
  | 'DS'
  | 'SSHFP'
  | 'RRSIG'
  | 'NSEC'
  | 'DNSKEY'
  | 'NSEC3'
  | 'TLSA'
  | 'SVCB'
  | 'HTTPS'
  | 'SPF'
  | 'CAA'
  | 'AXFR'
  | 'IXFR'
  | 'ANY'
  | (string & {});

/** A class mnemonic: `IN`, `CH`, `HS`, `NONE`, `ANY`, or `CLASS<n>` (RFC 3597). */
export type RRClass = 'IN' | 'CH' | 'HS' | 'NONE' | 'ANY' | (string & {});

/** Response codes by name (RFC 1035, 2136, 6891). Extended codes need EDNS on the wire. */
export type Rcode =
  | 'NOERROR'
  | 'FORMERR'
  | 'SERVFAIL'
  | 'NXDOMAIN'
  | 'NOTIMP'
  | 'REFUSED'
  | 'YXDOMAIN'
  | 'YXRRSET'
  | 'NXRRSET'
  | 'NOTAUTH'
  | 'NOTZONE'
  | 'BADVERS'
  | 'BADCOOKIE'
  | (string & {});

/** Operation codes by name; unnamed ones are `OPCODE<n>`. */
export type Opcode = 'QUERY' | 'IQUERY' | 'STATUS' | 'NOTIFY' | 'UPDATE' | (string & {});

/** A question section entry. */
export interface Question {
  readonly name: string;
  readonly type: RRType;
  readonly class: RRClass;
}

/** Header flags. `z` is the reserved bit, kept so that it round-trips. */
export interface HeaderFlags {
  readonly qr: boolean;
  readonly aa: boolean;
  readonly tc: boolean;
  readonly rd: boolean;
  readonly ra: boolean;
  readonly z: boolean;
  readonly ad: boolean;
  readonly cd: boolean;
}

/** SOA RDATA (RFC 1035 3.3.13). */
export interface SoaData {
  readonly mname: string;
  readonly rname: string;
  readonly serial: number;
  readonly refresh: number;
  readonly retry: number;
  readonly expire: number;
  readonly minimum: number;
}
/** MX RDATA. */
export interface MxData {
  readonly preference: number;
  readonly exchange: string;
}
/** SRV RDATA (RFC 2782). */
export interface SrvData {
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  readonly target: string;
}
/** HINFO RDATA; also the RFC 8482 answer to ANY. */
export interface HinfoData {
  readonly cpu: string;
  readonly os: string;
}
/** CAA RDATA (RFC 8659). */
export interface CaaData {
  readonly flags: number;
  readonly tag: string;
  readonly value: string;
}
/** NAPTR RDATA (RFC 3403). */
export interface NaptrData {
  readonly order: number;
  readonly preference: number;
  readonly flags: string;
  readonly services: string;
  readonly regexp: string;
  readonly replacement: string;
}
/**
 * TXT RDATA: one entry per character-string (each at most 255 bytes). Strings are UTF-8; a
 * string that is not valid UTF-8 on the wire decodes as its raw bytes so nothing is lost.
 */
export type TxtData = ReadonlyArray<string | Uint8Array>;

/** Maps a record type to the shape of its RDATA. Types not listed carry raw RDATA bytes. */
export interface RDataMap {
  A: string;
  AAAA: string;
  NS: string;
  CNAME: string;
  PTR: string;
  DNAME: string;
  SOA: SoaData;
  MX: MxData;
  SRV: SrvData;
  TXT: TxtData;
  SPF: TxtData;
  HINFO: HinfoData;
  CAA: CaaData;
  NAPTR: NaptrData;
}

/** A record of a type with a typed RDATA shape. */
export type KnownRecord = {
  [T in keyof RDataMap]: {
    readonly name: string;
    readonly type: T;
    readonly class: RRClass;
    readonly ttl: number;
    readonly data: RDataMap[T];
  };
}[keyof RDataMap];

/**
 * A record of any other type (DS, DNSKEY, TYPE65534...): RDATA kept as the exact bytes from the
 * wire, printed as RFC 3597 `\# <len> <hex>`.
 */
export interface OpaqueRecord {
  readonly name: string;
  readonly type: RRType;
  readonly class: RRClass;
  readonly ttl: number;
  readonly data: Uint8Array;
}

/** Any resource record (never OPT: EDNS lives in {@link DnsMessage.edns}). */
export type ResourceRecord = KnownRecord | OpaqueRecord;

/** An EDNS(0) option (RFC 6891 6.1.2), kept as raw bytes. Codes: 3 NSID, 10 COOKIE, 12 padding. */
export interface EdnsOption {
  readonly code: number;
  readonly data: Uint8Array;
}

/** The OPT pseudo-record's content (RFC 6891). */
export interface Edns {
  /** Requestor's UDP payload size; values under 512 are treated as 512. */
  readonly udpPayloadSize: number;
  readonly version: number;
  /** DNSSEC OK bit (RFC 3225). */
  readonly do: boolean;
  /** The other 15 flag bits, kept so they round-trip. */
  readonly flags?: number;
  readonly options: readonly EdnsOption[];
}

/** A whole DNS message. The rcode is the full (possibly extended) response code. */
export interface DnsMessage {
  readonly id: number;
  readonly opcode: Opcode;
  readonly rcode: Rcode;
  readonly flags: HeaderFlags;
  readonly questions: readonly Question[];
  readonly answers: readonly ResourceRecord[];
  readonly authorities: readonly ResourceRecord[];
  /** The additional section without the OPT record. */
  readonly additionals: readonly ResourceRecord[];
  /** Present when the message carries an OPT record. */
  readonly edns?: Edns | undefined;
}

/** The fixed 12-byte header, readable even when the rest of a message is not. */
export interface WireHeader {
  readonly id: number;
  readonly opcode: Opcode;
  readonly flags: HeaderFlags;
  readonly rcode: number;
  readonly qdcount: number;
  readonly ancount: number;
  readonly nscount: number;
  readonly arcount: number;
}
