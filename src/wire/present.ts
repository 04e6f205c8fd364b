/** Presentation format of records (RFC 1035 5.1, RFC 3597 5), laid out like dig's output. */
import type {
  CaaData,
  HinfoData,
  MxData,
  NaptrData,
  ResourceRecord,
  SoaData,
  SrvData,
  TxtData,
} from './types.js';

const utf8 = new TextEncoder();

/** Hex digits of `bytes`, uppercase, no separators. */
export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += (b < 16 ? '0' : '') + b.toString(16);
  return hex.toUpperCase();
}

/**
 * A character-string in double quotes: `"` and `\` get a backslash, bytes outside printable
 * ASCII become `\DDD` (text is taken as UTF-8 bytes).
 */
export function quoteString(value: string | Uint8Array): string {
  const bytes = typeof value === 'string' ? utf8.encode(value) : value;
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += `\\${b.toString().padStart(3, '0')}`;
  }
  return `${out}"`;
}

/** RFC 3597 5 generic RDATA: `\# <length> <hex>`. */
export function genericRData(bytes: Uint8Array): string {
  return bytes.length === 0 ? '\\# 0' : `\\# ${bytes.length} ${toHex(bytes)}`;
}

/** The RDATA of `record` in presentation format. */
export function formatRData(record: ResourceRecord): string {
  const data: unknown = record.data;
  if (data instanceof Uint8Array) return genericRData(data);
  switch (record.type) {
    case 'A':
    case 'AAAA':
    case 'NS':
    case 'CNAME':
    case 'PTR':
    case 'DNAME':
      return String(data);
    case 'MX': {
      const mx = data as MxData;
      return `${mx.preference} ${mx.exchange}`;
    }
    case 'SOA': {
      const soa = data as SoaData;
      return `${soa.mname} ${soa.rname} ${soa.serial} ${soa.refresh} ${soa.retry} ${soa.expire} ${soa.minimum}`;
    }
    case 'SRV': {
      const srv = data as SrvData;
      return `${srv.priority} ${srv.weight} ${srv.port} ${srv.target}`;
    }
    case 'TXT':
    case 'SPF':
      return (data as TxtData).map(quoteString).join(' ');
    case 'HINFO': {
      const hinfo = data as HinfoData;
      return `${quoteString(hinfo.cpu)} ${quoteString(hinfo.os)}`;
    }
    case 'CAA': {
      const caa = data as CaaData;
      return `${caa.flags} ${caa.tag} ${quoteString(caa.value)}`;
    }
    case 'NAPTR': {
      const n = data as NaptrData;
      const texts = [n.flags, n.services, n.regexp].map(quoteString).join(' ');
      return `${n.order} ${n.preference} ${texts} ${n.replacement}`;
    }
    default:
      return String(data);
  }
}

/** One record as `name<TAB>ttl<TAB>class<TAB>type<TAB>rdata`, e.g. `a.org.\t300\tIN\tA\t192.0.2.1`. */
export function formatRecord(record: ResourceRecord): string {
  return `${record.name}\t${record.ttl}\t${record.class}\t${record.type}\t${formatRData(record)}`;
}
