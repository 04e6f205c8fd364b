import { getRandomValues } from 'node:crypto';
import { toFqdn } from './name-text.js';
import type { DnsMessage, Edns, RRClass, RRType } from './types.js';

/** Options of {@link makeQuery}. */
export interface QueryInit {
  /** Message ID; random by default (RFC 5452 9.2). */
  readonly id?: number;
  /** Recursion desired; default true. */
  readonly rd?: boolean;
  /** Question class; default `IN`. */
  readonly class?: RRClass;
  /** Add an OPT record: `true` for defaults (1232-byte payload), or some of its fields. */
  readonly edns?: Partial<Edns> | boolean;
  /** Set the DNSSEC OK bit; implies EDNS. */
  readonly do?: boolean;
}

/** The payload size dnskit advertises by default (DNS flag day 2020 recommendation). */
export const DEFAULT_UDP_PAYLOAD = 1232;

function randomId(): number {
  return getRandomValues(new Uint16Array(1))[0]!;
}

/** A query for `name` (made fully qualified, case kept) and `type` (default `A`). */
export function makeQuery(name: string, type: RRType = 'A', init: QueryInit = {}): DnsMessage {
  const query: DnsMessage = {
    id: init.id ?? randomId(),
    opcode: 'QUERY',
    rcode: 'NOERROR',
    flags: {
      qr: false,
      aa: false,
      tc: false,
      rd: init.rd ?? true,
      ra: false,
      z: false,
      ad: false,
      cd: false,
    },
    questions: [{ name: toFqdn(name), type, class: init.class ?? 'IN' }],
    answers: [],
    authorities: [],
    additionals: [],
  };
  const fields = typeof init.edns === 'object' ? init.edns : {};
  const wantsEdns = init.edns === true || typeof init.edns === 'object' || init.do === true;
  if (!wantsEdns) return query;
  return { ...query, edns: makeEdns(fields, init.do ?? fields.do ?? false) };
}

function makeEdns(fields: Partial<Edns>, dnssecOk: boolean): Edns {
  const edns: Edns = {
    udpPayloadSize: fields.udpPayloadSize ?? DEFAULT_UDP_PAYLOAD,
    version: fields.version ?? 0,
    do: dnssecOk,
    options: fields.options ?? [],
  };
  return fields.flags === undefined ? edns : { ...edns, flags: fields.flags };
}
