import { EncodeError } from './errors.js';
import type { Opcode, Rcode, RRClass, RRType } from './types.js';

/** A two-way table between mnemonics and numbers, with an RFC 3597 style generic spelling. */
class CodeTable {
  private readonly byName = new Map<string, number>();
  private readonly byNumber: string[] = [];

  constructor(
    private readonly prefix: string,
    private readonly max: number,
    entries: Readonly<Record<string, number>>,
    aliases: Readonly<Record<string, number>> = {},
  ) {
    for (const [name, value] of Object.entries(entries)) {
      this.byName.set(name, value);
      this.byNumber[value] = name;
    }
    for (const [name, value] of Object.entries(aliases)) this.byName.set(name, value);
  }

  toNumber(name: string, what: string): number {
    const known = this.byName.get(name) ?? this.byName.get(name.toUpperCase());
    if (known !== undefined) return known;
    const upper = name.toUpperCase();
    if (upper.startsWith(this.prefix)) {
      const digits = upper.slice(this.prefix.length);
      // Plain decimal only: no sign, no exponent, no leading zeros beyond "0" itself.
      if (/^(0|[1-9][0-9]{0,5})$/.test(digits)) {
        const value = Number(digits);
        if (value <= this.max) return value;
      }
    }
    throw new EncodeError('unknown-mnemonic', `unknown ${what} ${JSON.stringify(name)}`);
  }

  fromNumber(value: number, what: string): string {
    const known = this.byNumber[value];
    if (known !== undefined) return known;
    if (!Number.isInteger(value) || value < 0 || value > this.max) {
      throw new EncodeError('bad-field', `${what} ${value} out of range 0..${this.max}`);
    }
    return `${this.prefix}${value}`;
  }
}

const types = new CodeTable('TYPE', 0xffff, {
  A: 1,
  NS: 2,
  MD: 3,
  MF: 4,
  CNAME: 5,
  SOA: 6,
  MB: 7,
  MG: 8,
  MR: 9,
  NULL: 10,
  WKS: 11,
  PTR: 12,
  HINFO: 13,
  MINFO: 14,
  MX: 15,
  TXT: 16,
  RP: 17,
  AFSDB: 18,
  SIG: 24,
  KEY: 25,
  AAAA: 28,
  LOC: 29,
  SRV: 33,
  NAPTR: 35,
  KX: 36,
  CERT: 37,
  DNAME: 39,
  OPT: 41,
  APL: 42,
  DS: 43,
  SSHFP: 44,
  IPSECKEY: 45,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  DHCID: 49,
  NSEC3: 50,
  NSEC3PARAM: 51,
  TLSA: 52,
  SMIMEA: 53,
  HIP: 55,
  CDS: 59,
  CDNSKEY: 60,
  OPENPGPKEY: 61,
  CSYNC: 62,
  ZONEMD: 63,
  SVCB: 64,
  HTTPS: 65,
  SPF: 99,
  TKEY: 249,
  TSIG: 250,
  IXFR: 251,
  AXFR: 252,
  MAILB: 253,
  MAILA: 254,
  ANY: 255,
  URI: 256,
  CAA: 257,
});

const classes = new CodeTable('CLASS', 0xffff, { IN: 1, CH: 3, HS: 4, NONE: 254, ANY: 255 }, { CHAOS: 3 });

const rcodes = new CodeTable(
  'RCODE',
  0xfff,
  {
    NOERROR: 0,
    FORMERR: 1,
    SERVFAIL: 2,
    NXDOMAIN: 3,
    NOTIMP: 4,
    REFUSED: 5,
    YXDOMAIN: 6,
    YXRRSET: 7,
    NXRRSET: 8,
    NOTAUTH: 9,
    NOTZONE: 10,
    DSOTYPENI: 11,
    BADVERS: 16,
    BADKEY: 17,
    BADTIME: 18,
    BADMODE: 19,
    BADNAME: 20,
    BADALG: 21,
    BADTRUNC: 22,
    BADCOOKIE: 23,
  },
  // 16 is BADSIG inside TSIG records (RFC 8945); as a message rcode it is BADVERS.
  { BADSIG: 16 },
);

const opcodes = new CodeTable('OPCODE', 15, { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5, DSO: 6 });

/** The number of a type mnemonic (`A` -> 1, `TYPE65534` -> 65534). Throws `EncodeError` if unknown. */
export function typeToNumber(type: RRType): number {
  return types.toNumber(type, 'type');
}
/** The mnemonic of a type number, `TYPE<n>` when it has none (RFC 3597 5). */
export function typeFromNumber(value: number): RRType {
  return types.fromNumber(value, 'type');
}
/** The number of a class mnemonic (`IN` -> 1, `CLASS42` -> 42). Throws `EncodeError` if unknown. */
export function classToNumber(rrClass: RRClass): number {
  return classes.toNumber(rrClass, 'class');
}
/** The mnemonic of a class number, `CLASS<n>` when it has none. */
export function classFromNumber(value: number): RRClass {
  return classes.fromNumber(value, 'class');
}
/** The full (up to 12-bit) number of an rcode name. Throws `EncodeError` if unknown. */
export function rcodeToNumber(rcode: Rcode): number {
  return rcodes.toNumber(rcode, 'rcode');
}
/** The name of an rcode number, `RCODE<n>` when it has none. */
export function rcodeFromNumber(value: number): Rcode {
  return rcodes.fromNumber(value, 'rcode');
}
/** The 4-bit number of an opcode name. Throws `EncodeError` if unknown. */
export function opcodeToNumber(opcode: Opcode): number {
  return opcodes.toNumber(opcode, 'opcode');
}
/** The name of an opcode number, `OPCODE<n>` when it has none. */
export function opcodeFromNumber(value: number): Opcode {
  return opcodes.fromNumber(value, 'opcode');
}

/** Type numbers the codec treats specially. */
export const TYPE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  DNAME: 39,
  OPT: 41,
  SPF: 99,
  CAA: 257,
} as const;
