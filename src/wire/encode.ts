/**
 * Message encoding (RFC 1035 4.1) with validation, name compression and, given `maxSize`,
 * truncation by whole RRsets. The bytes are built in one reused buffer and copied out once.
 */
import { classToNumber, opcodeToNumber, rcodeToNumber, typeToNumber } from './codes.js';
import { encodeOpt } from './edns.js';
import { EncodeError } from './errors.js';
import { checkInt, encodeRData } from './rdata-encode.js';
import { keepRecords, lastSafeCut, truncateToFit } from './truncate.js';
import type { DnsMessage, HeaderFlags, ResourceRecord } from './types.js';
import { MAX_MESSAGE, WireWriter } from './writer.js';

/** Options of {@link encodeMessage}. */
export interface EncodeOptions {
  /** The most bytes the result may have (the client's UDP limit); enables truncation. */
  readonly maxSize?: number;
}

/** Where things landed in the writer, for truncation. */
export interface EncodedLayout {
  /** Offset just after the question section. */
  questionsEnd: number;
  /** End offset of each record, answers then authorities then additionals (OPT excluded). */
  recordEnds: number[];
  /** Offset where the OPT record starts (equal to the end when there is none). */
  optStart: number;
}

const writer = new WireWriter();
/** Reused by every call: read only while encoding (truncation), never kept. */
const layout: EncodedLayout = { questionsEnd: 0, recordEnds: [], optStart: 0 };

/**
 * Copies of encoded messages for {@link encodeMessageShared}, carved from one shared block as
 * Node's Buffer pool does: a standalone small Uint8Array costs a backing store of its own, which
 * is slow to allocate and to collect when every query makes one.
 */
const POOL_SIZE = 64 * 1024;
let pool = new ArrayBuffer(POOL_SIZE);
let poolUsed = 0;

function pooledCopy(end: number): Uint8Array {
  if (end > POOL_SIZE / 8) return writer.buf.slice(0, end);
  if (poolUsed + end > POOL_SIZE) {
    pool = new ArrayBuffer(POOL_SIZE);
    poolUsed = 0;
  }
  const bytes = new Uint8Array(pool, poolUsed, end);
  bytes.set(writer.buf.subarray(0, end));
  // Keep the next copy 8-byte aligned, as Buffer's pool does.
  poolUsed += (end + 7) & ~7;
  return bytes;
}

function flagBits(flags: HeaderFlags): number {
  if (typeof flags !== 'object' || flags === null) throw new EncodeError('bad-field', 'flags missing');
  return (
    (flags.qr ? 0x8000 : 0) |
    (flags.aa ? 0x0400 : 0) |
    (flags.tc ? 0x0200 : 0) |
    (flags.rd ? 0x0100 : 0) |
    (flags.ra ? 0x0080 : 0) |
    (flags.z ? 0x0040 : 0) |
    (flags.ad ? 0x0020 : 0) |
    (flags.cd ? 0x0010 : 0)
  );
}

/**
 * Encodes a message. Validates names, numeric ranges, addresses and string lengths and throws
 * `EncodeError` when something cannot go on the wire. With `maxSize`, a message that does not
 * fit loses whole RRsets from the end (RFC 2181 9: additional RRsets first, which alone does not
 * set TC); the result never exceeds it.
 */
export function encodeMessage(message: DnsMessage, options?: EncodeOptions): Uint8Array {
  const end = encodeIntoWriter(message, options?.maxSize);
  return end < 0 ? encodeOversized(message, -end - 1, options?.maxSize as number) : writer.buf.slice(0, end);
}

/**
 * @internal {@link encodeMessage} for bytes handed straight to a transport: the result may share
 * its `ArrayBuffer` with other results (look at it only through the view), in exchange for a
 * cheaper allocation.
 */
export function encodeMessageShared(message: DnsMessage, options?: EncodeOptions): Uint8Array {
  const end = encodeIntoWriter(message, options?.maxSize);
  return end < 0 ? encodeOversized(message, -end - 1, options?.maxSize as number) : pooledCopy(end);
}

/**
 * Encodes into the writer and returns the length, or `-(records written) - 1` when the message
 * is over 65535 bytes but may be truncated to `maxSize`.
 */
function encodeIntoWriter(message: DnsMessage, maxSize: number | undefined): number {
  if (maxSize !== undefined) checkInt(maxSize, Number.MAX_SAFE_INTEGER, 'maxSize');
  layout.questionsEnd = 0;
  layout.recordEnds.length = 0;
  layout.optStart = 0;
  writer.reset();
  try {
    writeMessage(message, layout);
  } catch (error) {
    if (maxSize === undefined || !(error instanceof EncodeError) || error.code !== 'too-large') throw error;
    return -layout.recordEnds.length - 1;
  }
  const end = writer.pos;
  if (end > MAX_MESSAGE) throw new EncodeError('too-large', 'message would exceed 65535 bytes');
  if (maxSize !== undefined && end > maxSize) return truncateToFit(writer.buf, end, message, layout, maxSize);
  return end;
}

/**
 * A message over 65535 bytes cannot be laid out whole, so encode the records that fit (cut on an
 * RRset boundary, with room for the OPT record) and truncate that; TC is set when answer or
 * authority records were left out.
 */
function encodeOversized(message: DnsMessage, written: number, maxSize: number): Uint8Array {
  const total = message.answers.length + message.authorities.length + message.additionals.length;
  if (total === 0) throw new EncodeError('too-large', 'message would exceed 65535 bytes');
  // Every record was written and the OPT record overflowed: at least one record must go.
  const cut = lastSafeCut(message, written === total ? written - 1 : written);
  const bytes = encodeMessage(keepRecords(message, cut), { maxSize });
  if (cut < message.answers.length + message.authorities.length) bytes[2] = bytes[2]! | 0x02;
  return bytes;
}

function writeMessage(message: DnsMessage, layout: EncodedLayout): void {
  const rcode = rcodeToNumber(message.rcode);
  const extendedRcode = rcode >>> 4;
  if (extendedRcode !== 0 && message.edns === undefined) {
    throw new EncodeError('rcode-needs-edns', `rcode ${message.rcode} needs EDNS (RFC 6891 6.1.3)`);
  }
  const { questions, answers, authorities, additionals } = message;
  const additionalCount = additionals.length + (message.edns === undefined ? 0 : 1);
  writer.u16(checkInt(message.id, 0xffff, 'id'));
  writer.u16(flagBits(message.flags) | (opcodeToNumber(message.opcode) << 11) | (rcode & 0xf));
  writer.u16(checkInt(questions.length, 0xffff, 'question count'));
  writer.u16(checkInt(answers.length, 0xffff, 'answer count'));
  writer.u16(checkInt(authorities.length, 0xffff, 'authority count'));
  writer.u16(checkInt(additionalCount, 0xffff, 'additional count'));
  for (const question of questions) {
    writer.name(question.name, true);
    writer.u16(typeToNumber(question.type));
    writer.u16(classToNumber(question.class));
  }
  layout.questionsEnd = writer.pos;
  writeRecords(answers, layout.recordEnds);
  writeRecords(authorities, layout.recordEnds);
  writeRecords(additionals, layout.recordEnds);
  layout.optStart = writer.pos;
  if (message.edns !== undefined) encodeOpt(writer, message.edns, extendedRcode);
}

function writeRecords(records: readonly ResourceRecord[], recordEnds: number[]): void {
  for (const record of records) {
    writeRecord(record);
    recordEnds.push(writer.pos);
  }
}

function writeRecord(record: ResourceRecord): void {
  const type = typeToNumber(record.type);
  if (type === 41) throw new EncodeError('bad-rdata', 'OPT belongs in message.edns, not in a section');
  writer.name(record.name, true);
  writer.u16(type);
  const rrClass = classToNumber(record.class);
  writer.u16(rrClass);
  writer.u32(checkInt(record.ttl, 0xffffffff, 'TTL'));
  const lengthAt = writer.pos;
  writer.u16(0);
  encodeRData(writer, type, record.type, record.data, rrClass);
  const length = writer.pos - lengthAt - 2;
  if (length > 0xffff) throw new EncodeError('too-large', 'RDATA over 65535 bytes');
  writer.u16At(lengthAt, length);
}
