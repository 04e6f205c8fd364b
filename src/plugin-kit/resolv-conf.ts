/** The `options` line of resolv.conf(5) that the emulated resolvers understand. */
export interface ResolvOptions {
  /** Dots a name needs to be tried as-is first (glibc) or without the search list (musl). Default 1. */
  readonly ndots: number;
  /** Seconds to wait for a nameserver (glibc: per try; musl: for the whole query). Default 5. */
  readonly timeout: number;
  /** Rounds over the nameservers (glibc) or sends per timeout (musl). Default 2. */
  readonly attempts: number;
  /** glibc: start at another nameserver for each query. musl ignores it. */
  readonly rotate: boolean;
  /** glibc: add an EDNS(0) OPT record to queries. musl ignores it. */
  readonly edns0: boolean;
  /** glibc: send A then AAAA one after the other instead of in parallel. musl ignores it. */
  readonly singleRequest: boolean;
  /** glibc: like `singleRequest`, with a new socket for the second query. musl ignores it. */
  readonly singleRequestReopen: boolean;
  /** glibc: never try a dotless name as-is. musl ignores it. */
  readonly noTldQuery: boolean;
  /** glibc: query over TCP. musl ignores it. */
  readonly useVc: boolean;
  /** glibc 2.36+: do not send AAAA queries for getaddrinfo. musl ignores it. */
  readonly noAaaa: boolean;
  /** glibc: keep the AD bit of responses. Accepted and kept for round trips. */
  readonly trustAd: boolean;
}

/** A resolv.conf(5): nameservers, search list and options. */
export interface ResolvConf {
  /** Nameserver addresses, in order (both libcs use at most 3). */
  readonly nameservers: readonly string[];
  /** Search domains, in order, without trailing dots. */
  readonly search: readonly string[];
  readonly options: ResolvOptions;
}

/** The defaults both glibc and musl use for a missing option. */
export const DEFAULT_RESOLV_OPTIONS: ResolvOptions = Object.freeze({
  ndots: 1,
  timeout: 5,
  attempts: 2,
  rotate: false,
  edns0: false,
  singleRequest: false,
  singleRequestReopen: false,
  noTldQuery: false,
  useVc: false,
  noAaaa: false,
  trustAd: false,
});

/** Nameservers both libcs read from resolv.conf (MAXNS). */
export const MAX_NAMESERVERS = 3;

type MutableOptions = { -readonly [K in keyof ResolvOptions]: ResolvOptions[K] };

const FLAG_OPTIONS: Record<string, keyof ResolvOptions> = {
  rotate: 'rotate',
  edns0: 'edns0',
  'single-request': 'singleRequest',
  'single-request-reopen': 'singleRequestReopen',
  'no-tld-query': 'noTldQuery',
  'use-vc': 'useVc',
  'no-aaaa': 'noAaaa',
  'trust-ad': 'trustAd',
};

const NUMBER_OPTIONS: Record<string, 'ndots' | 'timeout' | 'attempts'> = {
  ndots: 'ndots',
  timeout: 'timeout',
  attempts: 'attempts',
};

function applyOption(options: MutableOptions, word: string): void {
  const flag = FLAG_OPTIONS[word];
  if (flag !== undefined) {
    (options as Record<string, unknown>)[flag] = true;
    return;
  }
  const colon = word.indexOf(':');
  if (colon < 0) return;
  const key = NUMBER_OPTIONS[word.slice(0, colon)];
  const value = Number.parseInt(word.slice(colon + 1), 10);
  // Unknown options and bad numbers are ignored, as both libcs do.
  if (key !== undefined && Number.isFinite(value) && value >= 0) options[key] = value;
}

function stripDot(domain: string): string {
  return domain.length > 1 && domain.endsWith('.') ? domain.slice(0, -1) : domain;
}

/**
 * Parses resolv.conf text the way glibc's `res_init` reads it: `nameserver` lines (the first 3
 * count, as in both libcs; `forward` lifts the limit, as CoreDNS reads them all), `search` and `domain` (the last one wins; `domain x` is a one-entry search list),
 * `options` (unknown ones ignored), and comments starting with `#` or `;`.
 *
 * @example
 * ```ts
 * parseResolvConf('nameserver 10.96.0.10\nsearch default.svc.cluster.local\noptions ndots:5');
 * ```
 */
export function parseResolvConf(text: string, limits: { maxNameservers?: number } = {}): ResolvConf {
  const maxNameservers = limits.maxNameservers ?? MAX_NAMESERVERS;
  const nameservers: string[] = [];
  let search: string[] = [];
  const options: MutableOptions = { ...DEFAULT_RESOLV_OPTIONS };
  for (const raw of text.split('\n')) {
    const [keyword, ...words] = raw
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/);
    if (keyword === 'nameserver' && words[0] !== undefined) {
      if (nameservers.length < maxNameservers) nameservers.push(words[0]);
    } else if (keyword === 'search') {
      search = words.filter((word) => word !== '').map(stripDot);
    } else if (keyword === 'domain' && words[0] !== undefined) {
      search = [stripDot(words[0])];
    } else if (keyword === 'options') {
      for (const word of words) applyOption(options, word);
    }
  }
  return { nameservers, search, options };
}

/** Writes a resolv.conf back as text (only options that differ from the defaults). */
export function formatResolvConf(conf: ResolvConf): string {
  const lines = conf.nameservers.map((ns) => `nameserver ${ns}`);
  if (conf.search.length > 0) lines.push(`search ${conf.search.join(' ')}`);
  const words: string[] = [];
  for (const key of Object.values(NUMBER_OPTIONS)) {
    if (conf.options[key] !== DEFAULT_RESOLV_OPTIONS[key]) words.push(`${key}:${conf.options[key]}`);
  }
  for (const [word, key] of Object.entries(FLAG_OPTIONS)) if (conf.options[key] === true) words.push(word);
  if (words.length > 0) lines.push(`options ${words.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

/** Options of {@link podResolvConf}. */
export interface PodResolvConfOptions {
  /** The cluster domain; default `cluster.local`. */
  readonly clusterDomain?: string;
  /** The cluster DNS service address; default `10.96.0.10` (kube-dns in kubeadm clusters). */
  readonly nameserver?: string;
  /** Extra options over the kubelet's (`ndots: 5`). */
  readonly options?: Partial<ResolvOptions>;
  /** Search domains the node adds after the cluster ones (the host's own search list). */
  readonly hostSearch?: readonly string[];
}

/**
 * The resolv.conf the kubelet writes for a pod with `dnsPolicy: ClusterFirst`:
 * `search <ns>.svc.<domain> svc.<domain> <domain>` and `options ndots:5`.
 *
 * @example
 * ```ts
 * podResolvConf('shop').search; // ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local']
 * ```
 */
export function podResolvConf(namespace: string, init: PodResolvConfOptions = {}): ResolvConf {
  const domain = stripDot(init.clusterDomain ?? 'cluster.local');
  return {
    nameservers: [init.nameserver ?? '10.96.0.10'],
    search: [`${namespace}.svc.${domain}`, `svc.${domain}`, domain, ...(init.hostSearch ?? [])],
    options: { ...DEFAULT_RESOLV_OPTIONS, ndots: 5, ...init.options },
  };
}
