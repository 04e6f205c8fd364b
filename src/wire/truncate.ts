/**
 * Truncation of an encoded message to a size limit by dropping whole RRsets from the end
 * (RFC 2181 9): additional RRsets first, which alone does not set TC, then authority and answer
 * RRsets, which does. The OPT record is always kept (RFC 6891 7). Dropping a prefix-closed tail
 * is safe because compression pointers only point backwards.
 */
import type { EncodedLayout } from './encode.js';
import { EncodeError } from './errors.js';
import type { DnsMessage, ResourceRecord } from './types.js';

/**
 * For each record of a section, whether the section may be cut right after it without
 * splitting an RRset (same owner ignoring case, type and class), even a non-contiguous one.
 */
function safeCuts(records: readonly ResourceRecord[]): boolean[] {
  const lastIndex = new Map<string, number>();
  const keys = records.map((r) => `${r.name.toLowerCase()}\u0000${r.type}\u0000${r.class}`);
  keys.forEach((key, i) => {
    lastIndex.set(key, i);
  });
  const safe: boolean[] = [];
  let reach = -1;
  keys.forEach((key, i) => {
    reach = Math.max(reach, lastIndex.get(key)!);
    safe.push(reach <= i);
  });
  return safe;
}

/**
 * Cuts the message in `buf` (currently `end` bytes, laid out as `layout` says) to at most
 * `maxSize` bytes, rewriting counts, TC and the OPT record in place. Returns the new length.
 */
export function truncateToFit(
  buf: Uint8Array,
  end: number,
  message: DnsMessage,
  layout: EncodedLayout,
  maxSize: number,
): number {
  const opt = buf.slice(layout.optStart, end);
  const budget = maxSize - opt.length;
  if (layout.questionsEnd > budget) {
    throw new EncodeError('too-large', `header, question and OPT need more than ${maxSize} bytes`);
  }
  const sections = [message.answers, message.authorities, message.additionals];
  // Candidate cut points in message order: after k records, valid when no RRset spans it.
  const cuts: Array<{ kept: number; at: number }> = [{ kept: 0, at: layout.questionsEnd }];
  let index = 0;
  for (const records of sections) {
    const safe = safeCuts(records);
    for (let i = 0; i < records.length; i++, index++) {
      if (safe[i]) cuts.push({ kept: index + 1, at: layout.recordEnds[index]! });
    }
  }
  let best = cuts[0]!;
  for (const cut of cuts) if (cut.at <= budget) best = cut;
  const answerCount = message.answers.length;
  const authorityCount = message.authorities.length;
  const keptAnswers = Math.min(best.kept, answerCount);
  const keptAuthorities = Math.min(Math.max(best.kept - answerCount, 0), authorityCount);
  const keptAdditionals = Math.max(best.kept - answerCount - authorityCount, 0);
  const dataLoss = keptAnswers < answerCount || keptAuthorities < authorityCount;
  buf.set(opt, best.at);
  writeCount(buf, 6, keptAnswers);
  writeCount(buf, 8, keptAuthorities);
  writeCount(buf, 10, keptAdditionals + (opt.length > 0 ? 1 : 0));
  if (dataLoss) buf[2] = buf[2]! | 0x02;
  return best.at + opt.length;
}

/**
 * The largest number of records, in message order and at most `limit`, that ends on an RRset
 * boundary: used when a message is too large to encode at all, to pick what to encode instead.
 */
export function lastSafeCut(message: DnsMessage, limit: number): number {
  let best = 0;
  let index = 0;
  for (const records of [message.answers, message.authorities, message.additionals]) {
    const safe = safeCuts(records);
    for (let i = 0; i < records.length && index < limit; i++, index++) if (safe[i]) best = index + 1;
  }
  return best;
}

/** The message with only its first `count` records (answers, then authorities, then additionals). */
export function keepRecords(message: DnsMessage, count: number): DnsMessage {
  const answers = message.answers.slice(0, count);
  const authorities = message.authorities.slice(0, Math.max(0, count - answers.length));
  const additionals = message.additionals.slice(0, Math.max(0, count - answers.length - authorities.length));
  return { ...message, answers, authorities, additionals };
}

function writeCount(buf: Uint8Array, at: number, value: number): void {
  buf[at] = value >>> 8;
  buf[at + 1] = value & 0xff;
}
