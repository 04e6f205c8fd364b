import { TYPE } from './codes.js';
import { EncodeError } from './errors.js';
import { parseIPv4Into, parseIPv6Into } from './ip.js';
import { CLASS_IN } from './rdata-decode.js';
import type { CaaData, HinfoData, MxData, NaptrData, SoaData, SrvData, TxtData } from './types.js';
import type { WireWriter } from './writer.js';

/** Throws `bad-field` unless `value` is an integer in 0..max. */
export function checkInt(value: unknown, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new EncodeError('bad-field', `${what} must be an integer in 0..${max}, got ${String(value)}`);
  }
  return value;
}

function badData(type: string, why: string): EncodeError {
  return new EncodeError('bad-rdata', `${type} RDATA: ${why}`);
}

function record<T>(data: unknown, type: string): T {
  if (typeof data !== 'object' || data === null) throw badData(type, 'expected an object');
  return data as T;
}

/**
 * Writes RDATA (without RDLENGTH). Raw bytes are written as they are for any type (A/AAAA must
 * still be 4/16 bytes). Only NS, CNAME, PTR, MX and SOA names are compressed (RFC 3597 4).
 */
export function encodeRData(
  writer: WireWriter,
  type: number,
  typeName: string,
  data: unknown,
  rrClass = CLASS_IN,
): void {
  if (rrClass !== CLASS_IN && (type === TYPE.A || type === TYPE.AAAA) && !(data instanceof Uint8Array)) {
    // Outside IN these formats differ (a CH-class A holds a name): only raw RDATA is meaningful.
    throw badData(typeName, 'outside class IN its RDATA must be raw bytes');
  }
  if (data instanceof Uint8Array) {
    if (
      rrClass === CLASS_IN &&
      ((type === TYPE.A && data.length !== 4) || (type === TYPE.AAAA && data.length !== 16))
    ) {
      throw badData(typeName, `raw RDATA of ${data.length} bytes`);
    }
    writer.bytes(data);
    return;
  }
  switch (type) {
    case TYPE.A:
      if (typeof data !== 'string' || !parseIPv4Into(data, writer.buf, writer.pos)) {
        throw badData('A', `not an IPv4 address: ${String(data)}`);
      }
      writer.pos += 4;
      return;
    case TYPE.AAAA:
      if (typeof data !== 'string' || !parseIPv6Into(data, writer.buf, writer.pos)) {
        throw badData('AAAA', `not an IPv6 address: ${String(data)}`);
      }
      writer.pos += 16;
      return;
    case TYPE.NS:
    case TYPE.CNAME:
    case TYPE.PTR:
      writer.name(data as string, true);
      return;
    case TYPE.DNAME:
      writer.name(data as string, false);
      return;
    case TYPE.MX:
      encodeMx(writer, record<MxData>(data, 'MX'));
      return;
    case TYPE.SOA:
      encodeSoa(writer, record<SoaData>(data, 'SOA'));
      return;
    case TYPE.SRV:
      encodeSrv(writer, record<SrvData>(data, 'SRV'));
      return;
    case TYPE.TXT:
    case TYPE.SPF:
      encodeTxt(writer, data as TxtData, typeName);
      return;
    case TYPE.HINFO:
      encodeHinfo(writer, record<HinfoData>(data, 'HINFO'));
      return;
    case TYPE.CAA:
      encodeCaa(writer, record<CaaData>(data, 'CAA'));
      return;
    case TYPE.NAPTR:
      encodeNaptr(writer, record<NaptrData>(data, 'NAPTR'));
      return;
    default:
      throw badData(typeName, 'this type needs raw RDATA bytes (Uint8Array)');
  }
}

function encodeMx(writer: WireWriter, mx: MxData): void {
  writer.u16(checkInt(mx.preference, 0xffff, 'MX preference'));
  writer.name(mx.exchange, true);
}

function encodeSoa(writer: WireWriter, soa: SoaData): void {
  writer.name(soa.mname, true);
  writer.name(soa.rname, true);
  writer.room(20);
  writer.u32(checkInt(soa.serial, 0xffffffff, 'SOA serial'));
  writer.u32(checkInt(soa.refresh, 0xffffffff, 'SOA refresh'));
  writer.u32(checkInt(soa.retry, 0xffffffff, 'SOA retry'));
  writer.u32(checkInt(soa.expire, 0xffffffff, 'SOA expire'));
  writer.u32(checkInt(soa.minimum, 0xffffffff, 'SOA minimum'));
}

function encodeSrv(writer: WireWriter, srv: SrvData): void {
  writer.u16(checkInt(srv.priority, 0xffff, 'SRV priority'));
  writer.u16(checkInt(srv.weight, 0xffff, 'SRV weight'));
  writer.u16(checkInt(srv.port, 0xffff, 'SRV port'));
  // RFC 2782: the target is never compressed.
  writer.name(srv.target, false);
}

function encodeTxt(writer: WireWriter, txt: TxtData, typeName: string): void {
  if (!Array.isArray(txt)) throw badData(typeName, 'expected an array of strings');
  for (const text of txt) writer.charString(text);
}

function encodeHinfo(writer: WireWriter, hinfo: HinfoData): void {
  writer.charString(hinfo.cpu);
  writer.charString(hinfo.os);
}

function encodeCaa(writer: WireWriter, caa: CaaData): void {
  writer.u8(checkInt(caa.flags, 0xff, 'CAA flags'));
  const tagAt = writer.pos;
  const tagLength = writer.text(caa.tag, 1);
  // RFC 8659 4.1: tags are 1..15 ASCII letters and digits.
  if (tagLength === 0 || tagLength > 15 || !/^[A-Za-z0-9]+$/.test(caa.tag)) {
    throw badData('CAA', `bad tag ${JSON.stringify(caa.tag)}`);
  }
  writer.buf[tagAt] = tagLength;
  writer.text(caa.value);
}

function encodeNaptr(writer: WireWriter, naptr: NaptrData): void {
  writer.u16(checkInt(naptr.order, 0xffff, 'NAPTR order'));
  writer.u16(checkInt(naptr.preference, 0xffff, 'NAPTR preference'));
  writer.charString(naptr.flags);
  writer.charString(naptr.services);
  writer.charString(naptr.regexp);
  writer.name(naptr.replacement, false);
}
