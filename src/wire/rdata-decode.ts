import { TYPE } from './codes.js';
import { DecodeError } from './errors.js';
import { formatIPv4, formatIPv6 } from './ip.js';
import type { WireReader } from './reader.js';
import type { CaaData, HinfoData, MxData, NaptrData, SoaData, SrvData, TxtData } from './types.js';

/** A record's RDATA as the model holds it: typed for known shapes, raw bytes otherwise. */
export type RData =
  | string
  | SoaData
  | TxtData
  | HinfoData
  | CaaData
  | NaptrData
  | MxData
  | SrvData
  | Uint8Array;

/** The IN class, whose A and AAAA formats dnskit knows. */
export const CLASS_IN = 1;

/**
 * Decodes the RDATA at the reader's cursor, which spans exactly `length` bytes (checked against
 * the message by the caller). Typed decoders must consume exactly that span (RFC 1035 3.2.1:
 * RDLENGTH is authoritative). Text fields of HINFO/CAA/NAPTR that are not UTF-8 fall back to raw
 * RDATA so nothing is lost.
 */
export function decodeRData(reader: WireReader, type: number, length: number, rrClass = CLASS_IN): RData {
  // A and AAAA are class-specific (RFC 1035 3.4.1: a CH-class A holds a name and a Chaos
  // address): outside class IN their RDATA stays raw bytes, as RFC 3597 treats unknown formats.
  if (rrClass !== CLASS_IN && (type === TYPE.A || type === TYPE.AAAA)) return reader.bytesCopy(length);
  const start = reader.pos;
  const end = start + length;
  const messageEnd = reader.end;
  // Reads past RDLENGTH are RDATA errors, not message truncation.
  reader.end = end;
  reader.shortage = 'bad-rdata';
  const data = decodeTyped(reader, type, start, length);
  reader.end = messageEnd;
  reader.shortage = 'truncated';
  return data;
}

function decodeTyped(reader: WireReader, type: number, start: number, length: number): RData {
  const end = start + length;
  let data: RData | undefined;
  switch (type) {
    case TYPE.A:
      if (length !== 4) throw new DecodeError('bad-rdata', start, `A RDATA must be 4 bytes, got ${length}`);
      reader.pos = end;
      return formatIPv4(reader.bytes, start);
    case TYPE.AAAA:
      if (length !== 16)
        throw new DecodeError('bad-rdata', start, `AAAA RDATA must be 16 bytes, got ${length}`);
      reader.pos = end;
      return formatIPv6(reader.bytes, start);
    case TYPE.NS:
    case TYPE.CNAME:
    case TYPE.PTR:
    case TYPE.DNAME:
      data = reader.name();
      break;
    case TYPE.MX:
      data = { preference: reader.u16(), exchange: reader.name() };
      break;
    case TYPE.SOA:
      data = decodeSoa(reader);
      break;
    case TYPE.SRV:
      data = { priority: reader.u16(), weight: reader.u16(), port: reader.u16(), target: reader.name() };
      break;
    case TYPE.TXT:
    case TYPE.SPF:
      data = decodeTxt(reader, end);
      break;
    case TYPE.HINFO:
      data = decodeHinfo(reader);
      break;
    case TYPE.CAA:
      data = decodeCaa(reader, end);
      break;
    case TYPE.NAPTR:
      data = decodeNaptr(reader);
      break;
    default:
      return reader.bytesCopy(length);
  }
  if (reader.pos !== end) {
    throw new DecodeError('bad-rdata', start, `RDATA of type ${type} does not fill its RDLENGTH ${length}`);
  }
  if (data === undefined) {
    reader.pos = start;
    return reader.bytesCopy(length);
  }
  return data;
}

function decodeSoa(reader: WireReader): SoaData {
  const mname = reader.name();
  const rname = reader.name();
  return {
    mname,
    rname,
    serial: reader.u32(),
    refresh: reader.u32(),
    retry: reader.u32(),
    expire: reader.u32(),
    minimum: reader.u32(),
  };
}

function decodeTxt(reader: WireReader, end: number): TxtData {
  const strings: Array<string | Uint8Array> = [];
  while (reader.pos < end) strings.push(reader.charString());
  return strings;
}

function decodeHinfo(reader: WireReader): HinfoData | undefined {
  const cpu = reader.text(reader.u8());
  const os = reader.text(reader.u8());
  return cpu === undefined || os === undefined ? undefined : { cpu, os };
}

function decodeCaa(reader: WireReader, end: number): CaaData | undefined {
  const flags = reader.u8();
  const tagLength = reader.u8();
  // RFC 8659 4.1: the tag is 1..15 bytes; the value takes the rest.
  if (tagLength === 0 || reader.pos + tagLength > end) {
    throw new DecodeError('bad-rdata', reader.pos, 'CAA tag length out of range');
  }
  const tag = reader.text(tagLength);
  const value = reader.text(end - reader.pos);
  return tag === undefined || value === undefined ? undefined : { flags, tag, value };
}

function decodeNaptr(reader: WireReader): NaptrData | undefined {
  const order = reader.u16();
  const preference = reader.u16();
  const flags = reader.text(reader.u8());
  const services = reader.text(reader.u8());
  const regexp = reader.text(reader.u8());
  const replacement = reader.name();
  if (flags === undefined || services === undefined || regexp === undefined) return undefined;
  return { order, preference, flags, services, regexp, replacement };
}
