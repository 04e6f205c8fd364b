import { randomFillSync } from 'node:crypto';
import { decodeMessage } from '../../wire/decode.js';
import type { DnsMessage, Question } from '../../wire/types.js';

/** What a reply must echo to be accepted: our ID and the question we asked. */
export interface Expectation {
  readonly id: number;
  /** Lowercased, fully qualified. */
  readonly name: string;
  readonly type: string;
  readonly class: string;
}

const ids = new Uint16Array(1024);
let nextId = ids.length;

/**
 * A random 16-bit message ID for each upstream query (RFC 5452 9.2), from the system CSPRNG,
 * drawn in batches so that a query costs no system call.
 */
export function randomId(): number {
  if (nextId === ids.length) {
    randomFillSync(ids);
    nextId = 0;
  }
  return ids[nextId++] as number;
}

/** The expectation for a query with this ID and question. */
export function expectationFor(id: number, question: Question): Expectation {
  return { id, name: question.name.toLowerCase(), type: question.type, class: question.class };
}

function sameQuestion(message: DnsMessage, expect: Expectation): boolean {
  const question = message.questions[0];
  return (
    message.questions.length === 1 &&
    question !== undefined &&
    question.type === expect.type &&
    question.class === expect.class &&
    question.name.toLowerCase() === expect.name
  );
}

/**
 * A truncated reply that does not decode whole (an upstream that cut a record in half, or set TC
 * without truncating): keep the header and question only, as CoreDNS answers with an empty TC
 * reply so that the client retries over TCP.
 */
function truncatedHeaderOnly(bytes: Uint8Array): DnsMessage | undefined {
  const copy = bytes.slice();
  copy.fill(0, 6, 12); // ANCOUNT, NSCOUNT, ARCOUNT = 0: only the question is read
  try {
    return decodeMessage(copy);
  } catch {
    return undefined;
  }
}

/**
 * Returns the decoded reply when it answers our query: a response (QR) with our ID and our
 * question (name compared case-insensitively, type and class). Anything else is undefined and
 * must be ignored by the caller, who keeps waiting: RFC 5452 section 9.1's defence against
 * spoofed replies (the source address and port are checked by the socket).
 */
export function acceptReply(bytes: Uint8Array, expect: Expectation): DnsMessage | undefined {
  if (bytes.length < 12) return undefined;
  const id = ((bytes[0] as number) << 8) | (bytes[1] as number);
  if (id !== expect.id || ((bytes[2] as number) & 0x80) === 0) return undefined;
  let message: DnsMessage | undefined;
  try {
    message = decodeMessage(bytes);
  } catch {
    const truncated = ((bytes[2] as number) & 0x02) !== 0;
    message = truncated ? truncatedHeaderOnly(bytes) : undefined;
  }
  return message !== undefined && sameQuestion(message, expect) ? message : undefined;
}
