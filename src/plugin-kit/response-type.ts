import type { DnsMessage } from '../wire/types.js';

/** What kind of response a message is, in CoreDNS's terms (its `response.Typify`). */
export type ResponseType =
  | 'NOERROR'
  | 'NXDOMAIN'
  | 'SERVERERROR'
  | 'NODATA'
  | 'DELEGATION'
  | 'META'
  | 'UPDATE'
  | 'OTHERERROR';

/** The coarse classes the `log` plugin filters on. */
export type ResponseClass = 'success' | 'denial' | 'error';

/**
 * Types a response. Negative answers are recognised by the SOA in AUTHORITY (RFC 2308 section 2),
 * referrals by NS records there. Unlike CoreDNS, expired RRSIGs are not checked.
 */
export function typifyResponse(message: DnsMessage | undefined): ResponseType {
  if (message === undefined) return 'OTHERERROR';
  if (message.opcode === 'UPDATE') return 'UPDATE';
  if (message.opcode === 'NOTIFY') return 'META';
  const qtype = message.questions[0]?.type;
  if (qtype === 'AXFR' || qtype === 'IXFR') return 'META';
  const { rcode } = message;
  if (message.answers.length > 0 && rcode === 'NOERROR') return 'NOERROR';
  const hasSoa = message.authorities.some((record) => record.type === 'SOA');
  const hasNs = message.authorities.some((record) => record.type === 'NS');
  if (hasSoa && rcode === 'NOERROR') return 'NODATA';
  if (hasSoa && rcode === 'NXDOMAIN') return 'NXDOMAIN';
  if (rcode === 'SERVFAIL' || rcode === 'NOTIMP') return 'SERVERERROR';
  if (hasNs && rcode === 'NOERROR') return 'DELEGATION';
  if (rcode === 'NOERROR') return 'NOERROR';
  return 'OTHERERROR';
}

/** Folds a response type into `success` (answers, referrals), `denial` (NXDOMAIN, NODATA) or `error`. */
export function classifyResponse(type: ResponseType): ResponseClass {
  switch (type) {
    case 'NOERROR':
    case 'DELEGATION':
      return 'success';
    case 'NXDOMAIN':
    case 'NODATA':
      return 'denial';
    default:
      return 'error';
  }
}
