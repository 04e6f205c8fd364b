import { afterNext } from '../../core/after-next.js';
import type { DnsContext, Next, Plugin } from '../../core/types.js';
import { typifyResponse } from '../../plugin-kit/response-type.js';
import type { DnsMessage } from '../../wire/types.js';

/**
 * CoreDNS's rule: only a plain positive answer (NOERROR with records in ANSWER) loses its
 * AUTHORITY and ADDITIONAL sections. NXDOMAIN and NODATA keep the SOA that makes them cacheable
 * (RFC 2308 section 5), referrals keep their NS records and glue, errors stay as written.
 * The OPT record is not part of `additionals` in dnskit, so EDNS survives untouched.
 */
export function minimizeResponse(response: DnsMessage): DnsMessage {
  if (typifyResponse(response) !== 'NOERROR') return response;
  if (response.authorities.length === 0 && response.additionals.length === 0) return response;
  return { ...response, authorities: [], additionals: [] };
}

function minimizeAfterNext(ctx: DnsContext, next: Next): Promise<void> {
  return afterNext(next, () => {
    const response = ctx.response;
    // A fresh object replaces the response: the one another plugin built may be shared or cached.
    if (response !== undefined) ctx.response = minimizeResponse(response);
  });
}

/**
 * The `minimal` plugin: lets the rest of the chain answer, then strips AUTHORITY and ADDITIONAL
 * from positive answers to make responses smaller.
 *
 * @example
 * ```ts
 * const server = createServer({ plugins: [minimal(), myZone] });
 * ```
 */
export function minimal(): Plugin {
  return { name: 'minimal', handle: minimizeAfterNext };
}
