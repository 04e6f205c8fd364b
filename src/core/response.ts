import type { DnsMessage, Edns, EdnsOption, HeaderFlags, Rcode, WireHeader } from '../wire/types.js';
import type { ReplyInit } from './types.js';

/** The UDP payload size we advertise in every OPT we send (the DNS Flag Day 2020 value). */
export const serverUdpPayloadSize = 1232;

const noRecords: readonly never[] = Object.freeze([]);

/** The OPT of a response to an EDNS request: our size, DO echoed (RFC 3225 3), version 0. */
export function serverEdns(request: Edns, options: readonly EdnsOption[] = noRecords): Edns {
  return { udpPayloadSize: serverUdpPayloadSize, version: 0, do: request.do, options };
}

function responseFlags(request: HeaderFlags, aa: boolean, ra: boolean): HeaderFlags {
  // RFC 1035 4.1.1: RD is copied; RFC 4035 3.2.2: CD is copied too.
  return { qr: true, aa, tc: false, rd: request.rd, ra, z: false, ad: false, cd: request.cd };
}

/**
 * A response derived from a request: same ID, opcode and question (as the client spelled it),
 * QR set, RD and CD copied. The OPT is added only when the request had one (RFC 6891 7).
 */
export function buildReply(request: DnsMessage, init: ReplyInit | undefined): DnsMessage {
  const edns = request.edns === undefined ? undefined : serverEdns(request.edns, init?.ednsOptions);
  return {
    id: request.id,
    opcode: request.opcode,
    rcode: init?.rcode ?? 'NOERROR',
    flags: responseFlags(request.flags, init?.authoritative ?? false, init?.recursionAvailable ?? false),
    questions: request.questions,
    answers: init?.answers ?? noRecords,
    authorities: init?.authorities ?? noRecords,
    additionals: init?.additionals ?? noRecords,
    edns,
  };
}

/** An empty error response that does not echo the question (for FORMERR on a bad question count). */
export function questionlessReply(request: DnsMessage, rcode: Rcode): DnsMessage {
  return { ...buildReply(request, { rcode }), questions: noRecords };
}

/**
 * FORMERR for a message we could not decode but whose header we could read: same ID and opcode,
 * RD copied, nothing else (we cannot trust any section).
 */
export function formerrFromHeader(header: WireHeader): DnsMessage {
  return {
    id: header.id,
    opcode: header.opcode,
    rcode: 'FORMERR',
    flags: responseFlags(header.flags, false, false),
    questions: noRecords,
    answers: noRecords,
    authorities: noRecords,
    additionals: noRecords,
  };
}

/**
 * Makes a plugin-written response fit the request before encoding: the request's ID, and an OPT
 * exactly when the request had one (with our payload size and the request's DO bit).
 */
export function fitResponse(request: DnsMessage, response: DnsMessage): DnsMessage {
  const requestEdns = request.edns;
  const edns = response.edns;
  if (response.id === request.id) {
    if (requestEdns === undefined ? edns === undefined : isServerEdns(edns, requestEdns)) return response;
  }
  let fitted: Edns | undefined;
  if (requestEdns !== undefined) fitted = serverEdns(requestEdns, edns?.options);
  return { ...response, id: request.id, edns: fitted };
}

function isServerEdns(edns: Edns | undefined, request: Edns): boolean {
  return (
    edns !== undefined &&
    edns.udpPayloadSize === serverUdpPayloadSize &&
    edns.version === 0 &&
    edns.do === request.do
  );
}
