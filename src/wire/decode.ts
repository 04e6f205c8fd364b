/**
 * Message decoding (RFC 1035 4.1). One pass over the bytes; every malformed input ends in a
 * `DecodeError`. Bytes after the last record the header counts are ignored, as CoreDNS does.
 */
import { classFromNumber, opcodeFromNumber, rcodeFromNumber, TYPE, typeFromNumber } from './codes.js';
import { decodeOpt } from './edns.js';
import { DecodeError } from './errors.js';
import { decodeRData } from './rdata-decode.js';
import { WireReader } from './reader.js';
import type { DnsMessage, Edns, HeaderFlags, Question, ResourceRecord, WireHeader } from './types.js';

const HEADER_SIZE = 12;
const NO_RECORDS: readonly ResourceRecord[] = Object.freeze([]);

function decodeFlags(bits: number): HeaderFlags {
  return {
    qr: (bits & 0x8000) !== 0,
    aa: (bits & 0x0400) !== 0,
    tc: (bits & 0x0200) !== 0,
    rd: (bits & 0x0100) !== 0,
    ra: (bits & 0x0080) !== 0,
    z: (bits & 0x0040) !== 0,
    ad: (bits & 0x0020) !== 0,
    cd: (bits & 0x0010) !== 0,
  };
}

/** The fixed header, or undefined when `bytes` is shorter than 12 bytes. Never throws. */
export function readHeader(bytes: Uint8Array): WireHeader | undefined {
  if (bytes.length < HEADER_SIZE) return undefined;
  const word = (at: number) => (bytes[at]! << 8) | bytes[at + 1]!;
  const bits = word(2);
  return {
    id: word(0),
    opcode: opcodeFromNumber((bits >>> 11) & 0xf),
    flags: decodeFlags(bits),
    rcode: bits & 0xf,
    qdcount: word(4),
    ancount: word(6),
    nscount: word(8),
    arcount: word(10),
  };
}

/** State shared by the section readers of one message. */
interface DecodeState {
  readonly reader: WireReader;
  opt: { edns: Edns; extendedRcode: number } | undefined;
}

/**
 * Decodes a whole message. Throws `DecodeError` (and nothing else) for a short header, counts
 * larger than the records present, bad names or pointers, RDLENGTH overruns, RDATA that does
 * not match its type, and OPT records that are duplicated, not owned by root or outside the
 * additional section. The rcode combines OPT's upper 8 bits with the header's 4 (RFC 6891 6.1.3).
 */
export function decodeMessage(bytes: Uint8Array): DnsMessage {
  if (!(bytes instanceof Uint8Array)) throw new DecodeError('short-header', 0, 'message is not a Uint8Array');
  if (bytes.length < HEADER_SIZE) throw new DecodeError('short-header', 0);
  const reader = new WireReader(bytes);
  try {
    return decodeBody(reader);
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    // Safety net: no other exception may escape, whatever the bytes.
    throw new DecodeError('bad-rdata', reader.pos, `unexpected: ${String(error)}`);
  }
}

function decodeBody(reader: WireReader): DnsMessage {
  const id = reader.u16();
  const bits = reader.u16();
  const qdcount = reader.u16();
  const ancount = reader.u16();
  const nscount = reader.u16();
  const arcount = reader.u16();
  const state: DecodeState = { reader, opt: undefined };
  const questions = qdcount === 1 ? [readQuestion(reader)] : readQuestions(reader, qdcount);
  const answers = readSection(state, ancount, false);
  const authorities = readSection(state, nscount, false);
  const additionals = readSection(state, arcount, true);
  const opt = state.opt;
  const rcode = rcodeFromNumber(((opt?.extendedRcode ?? 0) << 4) | (bits & 0xf));
  const opcode = opcodeFromNumber((bits >>> 11) & 0xf);
  const flags = decodeFlags(bits);
  // Two literals rather than a spread: this runs for every query the server receives.
  if (opt === undefined) return { id, opcode, rcode, flags, questions, answers, authorities, additionals };
  return { id, opcode, rcode, flags, questions, answers, authorities, additionals, edns: opt.edns };
}

function readQuestion(reader: WireReader): Question {
  const name = reader.name();
  const type = typeFromNumber(reader.u16());
  return { name, type, class: classFromNumber(reader.u16()) };
}

function readQuestions(reader: WireReader, count: number): Question[] {
  const questions: Question[] = [];
  for (let i = 0; i < count; i++) questions.push(readQuestion(reader));
  return questions;
}

function readSection(state: DecodeState, count: number, additional: boolean): readonly ResourceRecord[] {
  if (count === 0) return NO_RECORDS;
  const records: ResourceRecord[] = [];
  for (let i = 0; i < count; i++) {
    const record = readRecord(state, additional);
    if (record !== undefined) records.push(record);
  }
  return records.length === 0 ? NO_RECORDS : records;
}

/** Reads one record; returns undefined for the OPT pseudo-record, which goes to `state.opt`. */
function readRecord(state: DecodeState, additional: boolean): ResourceRecord | undefined {
  const reader = state.reader;
  const start = reader.pos;
  const name = reader.name();
  reader.need(10);
  const type = reader.u16();
  const rrClass = reader.u16();
  const ttl = reader.u32();
  const length = reader.u16();
  if (reader.pos + length > reader.end) throw new DecodeError('rdlength-overrun', reader.pos - 2);
  if (type === TYPE.OPT) {
    // RFC 6891 6.1.1: at most one OPT, in the additional section, owned by the root.
    if (!additional) throw new DecodeError('bad-opt', start, 'OPT outside the additional section');
    if (name !== '.') throw new DecodeError('bad-opt', start, 'OPT not owned by the root');
    if (state.opt !== undefined) throw new DecodeError('bad-opt', start, 'more than one OPT');
    state.opt = decodeOpt(reader, rrClass, ttl, length);
    return undefined;
  }
  const data = decodeRData(reader, type, length, rrClass);
  return { name, type: typeFromNumber(type), class: classFromNumber(rrClass), ttl, data } as ResourceRecord;
}
