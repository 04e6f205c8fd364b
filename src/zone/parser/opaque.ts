/**
 * Presentation -> wire octets for types the message model keeps as raw RDATA (DNSSEC, SSHFP,
 * TLSA, SVCB/HTTPS...). Names inside are written uncompressed (RFC 3597 4).
 */

import { typeToNumber } from '../../wire/index.js';
import { type ParsedNameText, parseNameText } from '../../wire/name-text.js';
import type { RDataTokens } from './rdata.js';
import { parseSvcParams } from './svcb.js';

/** A growing octet buffer. */
export class Octets {
  private buf = new Uint8Array(64);
  length = 0;

  private room(count: number): void {
    if (this.length + count <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.length + count));
    bigger.set(this.buf.subarray(0, this.length));
    this.buf = bigger;
  }
  u8(value: number): void {
    this.room(1);
    this.buf[this.length++] = value;
  }
  u16(value: number): void {
    this.u8(value >>> 8);
    this.u8(value & 0xff);
  }
  u32(value: number): void {
    this.u16(value >>> 16);
    this.u16(value & 0xffff);
  }
  bytes(data: Uint8Array): void {
    this.room(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }
  /** The name's uncompressed wire form (the name was validated by the caller). */
  name(name: string): void {
    this.room(256);
    const parsed: ParsedNameText = { end: 0, labels: 0, plain: true };
    parseNameText(name, this.buf, this.length, new Int32Array(128), parsed);
    this.length = parsed.end;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function base64(tokens: RDataTokens, what: string): Uint8Array {
  const text = tokens.rest(what);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw tokens.error(`${tokens.type}: bad base64 ${what}`);
  }
  return Uint8Array.from(Buffer.from(text, 'base64'));
}

function hex(tokens: RDataTokens, what: string, text = tokens.rest(what)): Uint8Array {
  if (!/^([0-9a-f]{2})*$/i.test(text)) throw tokens.error(`${tokens.type}: bad hex ${what} '${text}'`);
  return Uint8Array.from(Buffer.from(text, 'hex'));
}

/** RFC 5155 3.3 base32hex without padding. */
function base32hex(tokens: RDataTokens, text: string): Uint8Array {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of text.toLowerCase()) {
    const digit = alphabet.indexOf(c);
    if (digit < 0) throw tokens.error(`${tokens.type}: bad base32hex '${text}'`);
    value = (value << 5) | digit;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** RFC 4034 4.1.2 type bit maps. */
function typeBitmap(tokens: RDataTokens, out: Octets): void {
  const codes = new Set<number>();
  while (tokens.remaining > 0) {
    const text = tokens.next('a type');
    try {
      codes.add(typeToNumber(text.toUpperCase()));
    } catch {
      throw tokens.error(`${tokens.type}: unknown type '${text}' in the type bit map`);
    }
  }
  const windows = new Map<number, Uint8Array>();
  for (const code of codes) {
    const window = windows.get(code >> 8) ?? new Uint8Array(32);
    window[(code & 0xff) >> 3]! |= 0x80 >> (code & 7);
    windows.set(code >> 8, window);
  }
  for (const number of [...windows.keys()].sort((a, b) => a - b)) {
    const window = windows.get(number)!;
    let length = 32;
    while (length > 0 && window[length - 1] === 0) length--;
    out.u8(number);
    out.u8(length);
    out.bytes(window.subarray(0, length));
  }
}

/** RRSIG times: `YYYYMMDDHHmmSS` (UTC) or seconds since the epoch (RFC 4034 3.2). */
function signatureTime(tokens: RDataTokens, what: string): number {
  const text = tokens.next(what);
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (match !== null) {
    const [, y, mo, d, h, mi, s] = match.map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return (Date.UTC(y, mo - 1, d, h, mi, s) / 1000) >>> 0;
  }
  if (/^\d{1,10}$/.test(text) && Number(text) <= 0xffffffff) return Number(text);
  throw tokens.error(`RRSIG: expected ${what} (YYYYMMDDHHmmSS), got '${text}'`);
}

function typeCode(tokens: RDataTokens, what: string): number {
  const text = tokens.next(what);
  try {
    return typeToNumber(text.toUpperCase());
  } catch {
    throw tokens.error(`${tokens.type}: unknown type '${text}'`);
  }
}

type Writer = (tokens: RDataTokens, out: Octets) => void;

const ds: Writer = (t, out) => {
  out.u16(t.int('a key tag', 0xffff));
  out.u8(t.int('an algorithm', 0xff));
  out.u8(t.int('a digest type', 0xff));
  out.bytes(hex(t, 'digest'));
};
const dnskey: Writer = (t, out) => {
  out.u16(t.int('flags', 0xffff));
  out.u8(t.int('a protocol', 0xff));
  out.u8(t.int('an algorithm', 0xff));
  out.bytes(base64(t, 'public key'));
};
const tlsa: Writer = (t, out) => {
  out.u8(t.int('a usage', 0xff));
  out.u8(t.int('a selector', 0xff));
  out.u8(t.int('a matching type', 0xff));
  out.bytes(hex(t, 'certificate data'));
};

const WRITERS: Readonly<Record<string, Writer>> = {
  DS: ds,
  CDS: ds,
  DNSKEY: dnskey,
  CDNSKEY: dnskey,
  TLSA: tlsa,
  SMIMEA: tlsa,
  SSHFP: (t, out) => {
    out.u8(t.int('an algorithm', 0xff));
    out.u8(t.int('a fingerprint type', 0xff));
    out.bytes(hex(t, 'fingerprint'));
  },
  RRSIG: (t, out) => {
    out.u16(typeCode(t, 'a covered type'));
    out.u8(t.int('an algorithm', 0xff));
    out.u8(t.int('a label count', 0xff));
    out.u32(t.int('an original TTL', 0xffffffff));
    out.u32(signatureTime(t, 'an expiration'));
    out.u32(signatureTime(t, 'an inception'));
    out.u16(t.int('a key tag', 0xffff));
    out.name(t.name("a signer's name"));
    out.bytes(base64(t, 'signature'));
  },
  NSEC: (t, out) => {
    out.name(t.name('a next domain name'));
    typeBitmap(t, out);
  },
  NSEC3: (t, out) => {
    nsec3Param(t, out);
    const next = base32hex(t, t.next('a next hashed owner'));
    out.u8(next.length);
    out.bytes(next);
    typeBitmap(t, out);
  },
  NSEC3PARAM: nsec3Param,
  OPENPGPKEY: (t, out) => out.bytes(base64(t, 'key')),
  URI: (t, out) => {
    out.u16(t.int('a priority', 0xffff));
    out.u16(t.int('a weight', 0xffff));
    out.bytes(new TextEncoder().encode(t.text('a target', 0xffff)));
  },
  RP: (t, out) => {
    out.name(t.name('a mailbox'));
    out.name(t.name('a TXT name'));
  },
  AFSDB: (t, out) => {
    out.u16(t.int('a subtype', 0xffff));
    out.name(t.name('a hostname'));
  },
  SVCB: svcb,
  HTTPS: svcb,
};

function nsec3Param(t: RDataTokens, out: Octets): void {
  out.u8(t.int('a hash algorithm', 0xff));
  out.u8(t.int('flags', 0xff));
  out.u16(t.int('iterations', 0xffff));
  const saltText = t.next('a salt');
  const salt = saltText === '-' ? new Uint8Array(0) : hex(t, 'salt', saltText);
  out.u8(salt.length);
  out.bytes(salt);
}

function svcb(t: RDataTokens, out: Octets): void {
  out.u16(t.int('a priority', 0xffff));
  out.name(t.name('a target name'));
  parseSvcParams(t, out);
}

/** Octets of a type without a typed shape; only the `\#` form for types not known here. */
export function opaqueRData(tokens: RDataTokens): Uint8Array {
  const writer = WRITERS[tokens.type];
  if (writer === undefined) {
    throw tokens.error(`${tokens.type}: this type is read only in the RFC 3597 form (\\# length hex)`);
  }
  const out = new Octets();
  writer(tokens, out);
  if (out.length > 0xffff) throw tokens.error(`${tokens.type}: RDATA over 65535 octets`);
  return out.result();
}
