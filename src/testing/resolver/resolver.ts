import { isIP } from 'node:net';
import type { DnsServer } from '../../core/types.js';
import { parseResolvConf, podResolvConf, type ResolvConf } from '../../plugin-kit/resolv-conf.js';
import type { QueryInit } from '../../wire/index.js';
import type { DnsMessage } from '../../wire/types.js';
import { realClock } from './clock.js';
import { GlibcResolver, type GlibcState, glibcState } from './glibc.js';
import { MuslResolver } from './musl.js';
import { addressRecords, Session } from './session.js';
import { serverExchange } from './transport.js';
import type {
  AddressType,
  Family,
  ResolvedAddress,
  ResolveFailure,
  ResolveResult,
  ResolverClock,
  ResolverExchange,
} from './types.js';

/** Which C library's resolver to emulate: glibc (Debian, Ubuntu, distroless) or musl (Alpine). */
export type Libc = 'glibc' | 'musl';

/** Options of {@link podResolver}. Give `server` or `exchange`. */
export interface PodResolverOptions {
  /** A dnskit server to query in process; every nameserver of the resolv.conf reaches it. */
  readonly server?: DnsServer;
  /** Or any transport, such as {@link socketExchange} for real nameservers. */
  readonly exchange?: ResolverExchange;
  /** The pod's namespace: the resolv.conf is then the kubelet's for it (ndots:5). Default `default`. */
  readonly namespace?: string;
  /** A resolv.conf (text or parsed) instead of the kubelet's. */
  readonly resolvConf?: ResolvConf | string;
  /** Default `glibc`. */
  readonly libc?: Libc;
  /** The pod's IP, the peer the server sees (with `server`). Default `10.244.0.2`. */
  readonly podIp?: string;
  /** Time for timeouts; default real time. See {@link fastClock}. */
  readonly clock?: ResolverClock;
  /**
   * The pod's /etc/hosts, read before DNS (nsswitch `hosts: files dns`): lowercase names without
   * the trailing dot. Default `{ localhost: ['127.0.0.1', '::1'] }`.
   */
  readonly hosts?: Readonly<Record<string, readonly string[]>>;
}

/** Options of {@link PodResolver.resolve}. */
export interface ResolveOptions {
  /** 4, 6, or 0 for both (getaddrinfo's AF_UNSPEC, the default). */
  readonly family?: Family;
}

/** A pod's stub resolver. */
export interface PodResolver {
  /** The resolv.conf in use. */
  readonly resolvConf: ResolvConf;
  readonly libc: Libc;
  /** Resolves a host name as getaddrinfo does in the pod, recording every query it sends. */
  resolve(name: string, options?: ResolveOptions): Promise<ResolveResult>;
}

function typesFor(family: Family, conf: ResolvConf, libc: Libc): AddressType[] {
  if (family === 4) return ['A'];
  if (family === 6) return ['AAAA'];
  // glibc 2.36's no-aaaa drops the AAAA half of getaddrinfo's pair.
  return libc === 'glibc' && conf.options.noAaaa ? ['A'] : ['A', 'AAAA'];
}

/** Addresses in parse order: glibc reads the A reply first, musl the last query's reply first. */
function collect(
  replies: readonly (DnsMessage | undefined)[],
  types: readonly AddressType[],
  libc: Libc,
): ResolvedAddress[] {
  const addresses: ResolvedAddress[] = [];
  const order = types.map((type, index) => [type, index] as const);
  if (libc === 'musl') order.reverse();
  order.forEach(([type, index]) => {
    for (const address of addressRecords(replies[index], type)) {
      addresses.push({ address, family: type === 'A' ? 4 : 6 });
    }
  });
  return addresses;
}

const DEFAULT_HOSTS: Readonly<Record<string, readonly string[]>> = { localhost: ['127.0.0.1', '::1'] };

/** IP literals and /etc/hosts entries: answered without a query. */
function withoutDns(
  name: string,
  family: Family,
  hosts: PodResolverOptions['hosts'],
): ResolveResult | undefined {
  const literal = isIP(name);
  const key = name.toLowerCase().replace(/\.$/, '');
  const listed = literal === 0 ? hosts?.[key] : [name];
  if (listed === undefined) return undefined;
  const addresses = listed
    .map((address) => ({ address, family: isIP(address) as 4 | 6 }))
    .filter((entry) => family === 0 || entry.family === family);
  if (addresses.length === 0) return undefined;
  return { addresses, answer: undefined, tried: [] };
}

/**
 * A pod's libc resolver against a dnskit server: the kubelet's resolv.conf for a namespace
 * (or any other), the search algorithm of glibc or musl exactly as they walk it, and the
 * ordered list of queries it sent.
 *
 * @example
 * ```ts
 * const resolver = podResolver({ server, namespace: 'shop', libc: 'musl' });
 * const { addresses, tried } = await resolver.resolve('cart');
 * // tried: cart.shop.svc.cluster.local. A, ... AAAA
 * ```
 */
export function podResolver(options: PodResolverOptions): PodResolver {
  const conf =
    typeof options.resolvConf === 'string'
      ? parseResolvConf(options.resolvConf)
      : (options.resolvConf ?? podResolvConf(options.namespace ?? 'default'));
  const exchange = options.exchange ?? (options.server && serverExchange(options.server, options.podIp));
  if (exchange === undefined) throw new TypeError('podResolver needs a server or an exchange function');
  if (conf.nameservers.length === 0) throw new TypeError('the resolv.conf has no nameserver');
  const libc = options.libc ?? 'glibc';
  const clock = options.clock ?? realClock;
  const state: GlibcState = glibcState(conf);
  // glibc's edns0 advertises RESOLV_EDNS_BUFFER_SIZE (1200); musl never sends EDNS.
  const queryInit: QueryInit =
    libc === 'glibc' && conf.options.edns0 ? { edns: { udpPayloadSize: 1200 } } : {};
  return {
    resolvConf: conf,
    libc,
    async resolve(name, resolveOptions = {}) {
      const family = resolveOptions.family ?? 0;
      const known = withoutDns(name, family, options.hosts ?? DEFAULT_HOSTS);
      if (known !== undefined) return known;
      const types = typesFor(family, conf, libc);
      const session = new Session(exchange, clock, queryInit);
      try {
        const outcome =
          libc === 'musl'
            ? await new MuslResolver(conf, session).search(name, types)
            : await new GlibcResolver(conf, state, session).search(name, types);
        const addresses = outcome.ok ? collect(outcome.replies, types, libc) : [];
        const failure: ResolveFailure | undefined = outcome.ok
          ? addresses.length === 0
            ? 'NO_DATA'
            : undefined
          : (outcome.failure ?? 'HOST_NOT_FOUND');
        const base = { addresses, answer: session.answer, tried: session.triedSnapshot() };
        return failure === undefined ? base : { ...base, failure };
      } finally {
        session.close();
      }
    },
  };
}
