import { makeQuery, type QueryInit } from '../wire/index.js';
import type { DnsMessage, RRType } from '../wire/types.js';

export type { QueryInit };

/**
 * Builds a query message (RD set, as `dig` sends), ready for `server.exchange()`.
 *
 * @example
 * ```ts
 * const response = await server.exchange(query('www.example.org.', 'AAAA'));
 * const signed = await server.exchange(query('example.org.', 'DNSKEY', { do: true }));
 * ```
 */
export function query(name: string, type: RRType = 'A', init?: QueryInit): DnsMessage {
  return makeQuery(name, type, init);
}
