/** EDNS(0) (RFC 6891): the OPT pseudo-record to and from the model's {@link Edns}. */
import { DecodeError, EncodeError } from './errors.js';
import type { WireReader } from './reader.js';
import type { DnsMessage, Edns, EdnsOption } from './types.js';
import type { WireWriter } from './writer.js';

/** Option codes dnskit itself uses (IANA "DNS EDNS0 Option Codes"). */
export const EDNS_OPTION = { NSID: 3, COOKIE: 10, PADDING: 12 } as const;

/** Smallest UDP payload every DNS client accepts (RFC 1035 4.2.1; RFC 6891 6.2.3). */
export const MIN_UDP_PAYLOAD = 512;

/** The largest UDP response the sender of `message` accepts: 512 without EDNS, else max(512, advertised). */
export function maxUdpPayload(message: DnsMessage): number {
  const size = message.edns?.udpPayloadSize;
  return size === undefined || size < MIN_UDP_PAYLOAD ? MIN_UDP_PAYLOAD : size;
}

/** An OPT record's content plus the upper 8 bits of the rcode it carries (RFC 6891 6.1.3). */
export interface DecodedOpt {
  readonly edns: Edns;
  readonly extendedRcode: number;
}

/** Decodes OPT RDATA (a list of options filling exactly `length` bytes) and its CLASS/TTL fields. */
export function decodeOpt(
  reader: WireReader,
  udpPayloadSize: number,
  ttl: number,
  length: number,
): DecodedOpt {
  const end = reader.pos + length;
  const options: EdnsOption[] = [];
  while (reader.pos < end) {
    if (reader.pos + 4 > end)
      throw new DecodeError('bad-opt', reader.pos, 'OPT option header overruns RDATA');
    const code = reader.u16();
    const size = reader.u16();
    if (reader.pos + size > end) throw new DecodeError('bad-opt', reader.pos, 'OPT option overruns RDATA');
    options.push({ code, data: reader.bytesCopy(size) });
  }
  const flagBits = ttl & 0xffff;
  const rest = flagBits & 0x7fff;
  const edns: Edns =
    rest === 0
      ? { udpPayloadSize, version: (ttl >>> 16) & 0xff, do: (flagBits & 0x8000) !== 0, options }
      : { udpPayloadSize, version: (ttl >>> 16) & 0xff, do: (flagBits & 0x8000) !== 0, flags: rest, options };
  return { edns, extendedRcode: ttl >>> 24 };
}

function checkRange(value: unknown, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new EncodeError('bad-field', `${what} must be an integer in 0..${max}, got ${String(value)}`);
  }
  return value;
}

/** Writes the OPT record (owner root, RFC 6891 6.1.2) carrying `edns` and the rcode's upper bits. */
export function encodeOpt(writer: WireWriter, edns: Edns, extendedRcode: number): void {
  const size = checkRange(edns.udpPayloadSize, 0xffff, 'EDNS udpPayloadSize');
  const version = checkRange(edns.version, 0xff, 'EDNS version');
  const flags = checkRange(edns.flags ?? 0, 0x7fff, 'EDNS flags');
  writer.room(11);
  writer.u8(0);
  writer.u16(41);
  writer.u16(size);
  writer.u8(extendedRcode);
  writer.u8(version);
  writer.u16((edns.do ? 0x8000 : 0) | flags);
  const lengthAt = writer.pos;
  writer.u16(0);
  for (const option of edns.options) {
    const code = checkRange(option.code, 0xffff, 'EDNS option code');
    if (!(option.data instanceof Uint8Array))
      throw new EncodeError('bad-field', 'EDNS option data must be bytes');
    writer.room(4 + option.data.length);
    writer.u16(code);
    writer.u16(option.data.length);
    writer.bytes(option.data);
  }
  const length = writer.pos - lengthAt - 2;
  if (length > 0xffff) throw new EncodeError('too-large', 'OPT RDATA over 65535 bytes');
  writer.u16At(lengthAt, length);
}
