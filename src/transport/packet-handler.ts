import type { LocalAddress } from '../core/context.js';
import type { ResponseSink } from '../core/sink.js';
import type { Peer } from '../core/types.js';

/** What a transport calls for every received message; the sink gets one `send` or `drop` back. */
export type PacketHandler = (bytes: Uint8Array, peer: Peer, local: LocalAddress, sink: ResponseSink) => void;

/** Reports transport errors that did not stop the listener. */
export type ErrorReporter = (error: unknown) => void;

/** Node reports `family` as a string since v18.4; older builds used 4 and 6. */
export function familyOf(family: string | number): 'IPv4' | 'IPv6' {
  return family === 'IPv6' || family === 6 ? 'IPv6' : 'IPv4';
}
