import type { Logger, Plugin } from './types.js';

/**
 * One server block: the zones it answers for, where it listens, and its plugin chain.
 * Blocks that share a port share listeners; queries are routed to the block whose zone is the
 * longest suffix of the question name (no match: REFUSED), as CoreDNS does.
 */
export interface ServerBlockOptions {
  /** Zones this block serves; default `['.']`. Names are normalised (lowercase, trailing dot). */
  readonly zones?: readonly string[];
  /** Port to listen on; default 53. 0 picks a free port (see {@link DnsServer.addresses}). */
  readonly port?: number;
  /** Addresses to listen on; default every address. The `bind` plugin sets these too. */
  readonly listen?: readonly string[];
  /** The chain, in order: the first plugin sees the query first. */
  readonly plugins: readonly Plugin[];
}

/** TCP settings (RFC 7766). */
export interface TcpOptions {
  /** Close a connection idle this long; default 10 000 ms (RFC 7766 6.2.3 suggests seconds). */
  readonly idleTimeoutMs?: number;
  /** Most simultaneous connections per listener; default 1000. Extra connections are closed at once. */
  readonly maxConnections?: number;
  /** Most queries in flight on one connection; default 100. Reading pauses while at the limit. */
  readonly maxPipelined?: number;
}

/** Options of {@link createServer}. Either `blocks`, or the one-block shorthand (`zones`, `port`, `listen`, `plugins`). */
export interface ServerOptions {
  readonly blocks?: readonly ServerBlockOptions[];
  readonly zones?: readonly string[];
  readonly port?: number;
  readonly listen?: readonly string[];
  readonly plugins?: readonly Plugin[];
  /** Which transports to open; default both. */
  readonly transports?: readonly ('udp' | 'tcp')[];
  readonly tcp?: TcpOptions;
  /** A query not answered within this time gets SERVFAIL; default 5000 ms. */
  readonly queryTimeoutMs?: number;
  /** Default: a logger that writes CoreDNS-style lines to stderr/stdout. */
  readonly logger?: Logger;
}
