import type { Peer } from './types.js';

/** Why a packet got no response at all. */
export type DropReason =
  /** Shorter than a DNS header. */
  | 'short'
  /** QR set: a response, never answered (avoids reflection loops). */
  | 'response'
  /** Neither the message nor its header could be read, or even SERVFAIL could not be encoded. */
  | 'unreadable';

/**
 * Where the query processor hands its result: exactly one `send` or `drop` per packet, so that a
 * transport can count what is still in flight.
 */
export interface ResponseSink {
  send(response: Uint8Array, peer: Peer): void;
  drop(reason: DropReason): void;
  /**
   * Sends several messages answering one query, in order and with nothing in between (a zone
   * transfer, RFC 5936 2.2); counts as the packet's one `send`. Only connection transports
   * (TCP, `exchange`) have it.
   */
  sendAll?(responses: readonly Uint8Array[], peer: Peer): void;
}
