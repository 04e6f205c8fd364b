import type { DnsMessage, Rcode, ResourceRecord } from '../../wire/types.js';

/** The address families getaddrinfo asks for: 0 is both (AF_UNSPEC). */
export type Family = 0 | 4 | 6;

/** The record types the emulated getaddrinfo queries. */
export type AddressType = 'A' | 'AAAA';

/** What one query got: a response code, or `TIMEOUT` when nothing came back in time. */
export type QueryOutcome = Rcode | 'TIMEOUT';

/** One query the resolver sent, in sending order. */
export interface TriedQuery {
  /** The fully qualified name queried. */
  readonly name: string;
  readonly type: AddressType;
  /** The nameserver it went to. */
  readonly nameserver: string;
  readonly rcode: QueryOutcome;
}

/**
 * Why a lookup failed, as getaddrinfo reports it (the `h_errno` glibc's search ended with).
 * `NO_DATA` and `HOST_NOT_FOUND` both become Node's `ENOTFOUND`.
 */
export type ResolveFailure = 'HOST_NOT_FOUND' | 'NO_DATA' | 'TRY_AGAIN' | 'NO_RECOVERY';

/** An address found, as getaddrinfo returns it. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** The response the resolver settled on: the name it answered for and the A/AAAA responses' records. */
export interface SettledAnswer {
  readonly name: string;
  readonly rcode: QueryOutcome;
  /** The answer records of every response for that name (A and AAAA together). */
  readonly records: readonly ResourceRecord[];
}

/** What {@link PodResolver.resolve} returns. */
export interface ResolveResult {
  /** Addresses in the order getaddrinfo would return them (A first unless the libc sorts). */
  readonly addresses: readonly ResolvedAddress[];
  /** The last answer the walk settled on; undefined when nothing answered at all. */
  readonly answer: SettledAnswer | undefined;
  /** Every query sent, in order: the point of the emulation. */
  readonly tried: readonly TriedQuery[];
  /** Set when no address was found. */
  readonly failure?: ResolveFailure;
}

/** Sends one query to one nameserver; resolves with the response, rejects on transport errors or abort. */
export type ResolverExchange = (
  query: DnsMessage,
  target: { readonly nameserver: string; readonly signal: AbortSignal },
) => Promise<DnsMessage>;

/** Time for the resolver's timeouts. Inject one to test timeouts without waiting. */
export interface ResolverClock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolves after `ms`, or at once when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}
