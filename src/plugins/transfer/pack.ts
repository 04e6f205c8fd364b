import { encodeMessage } from '../../wire/index.js';
import type { DnsMessage, ResourceRecord } from '../../wire/types.js';

/**
 * Room for records in one transfer message: 64 KiB (RFC 1035 4.2.2's length prefix) less the
 * header, the question (a name of at most 255 bytes plus 4) and an OPT with a few options.
 */
export const messageBudget = 65535 - 12 - 259 - 512;

const sizer: DnsMessage = {
  id: 0,
  opcode: 'QUERY',
  rcode: 'NOERROR',
  flags: { qr: true, aa: true, tc: false, rd: false, ra: false, z: false, ad: false, cd: false },
  questions: [],
  answers: [],
  authorities: [],
  additionals: [],
};

/**
 * The wire size of a record on its own: an upper bound of what it adds to a bigger message, where
 * name compression only finds more to point at.
 */
export function recordSize(record: ResourceRecord): number {
  return encodeMessage({ ...sizer, answers: [record] }, { maxSize: 65535 }).length - 12;
}

/**
 * Splits an AXFR's records (opening SOA first, closing SOA last) into message-sized chunks, in
 * order (RFC 5936 2.2: any number of records per message, each message within 64 KiB).
 */
export function packRecords(records: Iterable<ResourceRecord>, budget = messageBudget): ResourceRecord[][] {
  const chunks: ResourceRecord[][] = [];
  let chunk: ResourceRecord[] = [];
  let used = 0;
  for (const record of records) {
    const size = recordSize(record);
    if (chunk.length > 0 && used + size > budget) {
      chunks.push(chunk);
      chunk = [];
      used = 0;
    }
    chunk.push(record);
    used += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
