import { getDefaultResultOrder, type LookupAddress, type LookupOptions } from 'node:dns';
import type { PodResolver } from './resolver.js';
import type { Family, ResolvedAddress, ResolveFailure } from './types.js';

/** The callback of {@link PodLookup}: one address, or every address with `all: true`. */
export type PodLookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * `dns.lookup`'s signature, resolving through a {@link PodResolver}: fits `net.connect({ lookup })`,
 * `new http.Agent({ lookup })` and undici's `new Agent({ connect: { lookup } })`.
 */
export interface PodLookup {
  (hostname: string, callback: PodLookupCallback): void;
  (hostname: string, options: number | LookupOptions, callback: PodLookupCallback): void;
}

/** getaddrinfo's error, as Node's `dns.lookup` reports it. */
function lookupError(hostname: string, failure: ResolveFailure): NodeJS.ErrnoException {
  // Node reports EAI_NONAME and EAI_NODATA both as ENOTFOUND.
  const code = failure === 'TRY_AGAIN' ? 'EAI_AGAIN' : failure === 'NO_RECOVERY' ? 'EAI_FAIL' : 'ENOTFOUND';
  const error: NodeJS.ErrnoException & { hostname?: string } = new Error(`getaddrinfo ${code} ${hostname}`);
  error.code = code;
  error.syscall = 'getaddrinfo';
  error.hostname = hostname;
  return error;
}

function familyOf(options: number | LookupOptions): Family {
  const family = typeof options === 'number' ? options : options.family;
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  if (family === undefined || family === 0) return 0;
  throw new TypeError(`The argument 'family' must be one of: 0, 4, 6. Received ${String(family)}`);
}

type Order = 'verbatim' | 'ipv4first' | 'ipv6first';

function orderOf(options: number | LookupOptions): Order {
  if (typeof options === 'object') {
    if (options.order !== undefined) return options.order;
    if (options.verbatim !== undefined) return options.verbatim ? 'verbatim' : 'ipv4first';
  }
  return getDefaultResultOrder() as Order;
}

function sorted(addresses: readonly ResolvedAddress[], order: Order): ResolvedAddress[] {
  if (order === 'verbatim') return [...addresses];
  const first = order === 'ipv4first' ? 4 : 6;
  return [...addresses.filter((a) => a.family === first), ...addresses.filter((a) => a.family !== first)];
}

/**
 * A `dns.lookup` that resolves like a pod: through the pod resolver's search list and libc
 * rules, against a dnskit server. So `http.get('http://nginx.default/', { agent })` reaches
 * whatever address the in-memory cluster gives `nginx.default.svc.cluster.local`.
 *
 * @example
 * ```ts
 * const lookup = podLookup(podResolver({ server, namespace: 'default' }));
 * const agent = new http.Agent({ lookup });
 * net.connect({ host: 'nginx', port: 80, lookup });
 * ```
 */
export function podLookup(resolver: PodResolver): PodLookup {
  function lookup(
    hostname: string,
    ...rest: [PodLookupCallback] | [number | LookupOptions, PodLookupCallback]
  ): void {
    const [options, callback] = rest.length === 1 ? [0, rest[0]] : rest;
    let family: Family;
    try {
      family = familyOf(options);
    } catch (error) {
      queueMicrotask(() => callback(error as Error, ''));
      return;
    }
    const all = typeof options === 'object' && options.all === true;
    resolver.resolve(hostname, { family }).then(
      (result) => {
        if (result.failure !== undefined)
          return callback(lookupError(hostname, result.failure), all ? [] : '');
        const addresses = sorted(result.addresses, orderOf(options));
        if (all)
          return callback(
            null,
            addresses.map((a) => ({ address: a.address, family: a.family })),
          );
        const first = addresses[0] as ResolvedAddress;
        callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), all ? [] : ''),
    );
  }
  return lookup as PodLookup;
}
