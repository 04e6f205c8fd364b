import { encodeMessage } from '../wire/index.js';
import type { DnsMessage } from '../wire/types.js';
import { fitResponse } from './response.js';

/** The largest message a 2-byte TCP length prefix can carry (RFC 1035 4.2.2). */
const maxStreamMessage = 65535;

/**
 * Encodes the messages of a streamed answer (a zone transfer), each fitted to the request (ID,
 * OPT) and encoded on its own. Throws the first encoding error: a stream with a hole in it would
 * be a broken transfer, so the caller answers SERVFAIL instead.
 */
export function encodeStream(request: DnsMessage, messages: readonly DnsMessage[]): Uint8Array[] {
  return messages.map((message) =>
    encodeMessage(fitResponse(request, message), { maxSize: maxStreamMessage }),
  );
}
