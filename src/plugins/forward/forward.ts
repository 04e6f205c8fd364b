import type { ConnectionOptions } from 'node:tls';
import type { DnsContext, Next, Plugin, PluginEnv } from '../../core/types.js';
import { isSubdomain, normalizeName } from '../../wire/names.js';
import type { DnsMessage, Rcode } from '../../wire/types.js';
import { parseUpstreamAddress, type UpstreamAddress } from './address.js';
import { type ForwardMetrics, forwardMetrics } from './metrics.js';
import { createPolicy, type Policy, type PolicyName, randomOrder } from './policy.js';
import { Upstream } from './upstream.js';

/** TLS material for `tls://` upstreams, as PEM text or bytes (the Corefile's `tls` files, read). */
export interface ForwardTlsOptions {
  /** Client certificate, for client authentication (with `key`). */
  readonly cert?: string | Uint8Array;
  readonly key?: string | Uint8Array;
  /** CA certificates to verify the upstream with; default the system's. */
  readonly ca?: string | Uint8Array;
}

/** Options of {@link forward}, one per Corefile `forward` line. */
export interface ForwardOptions {
  /** The zone to forward (`from`); default `.`. */
  readonly from?: string;
  /** Upstreams: `IP`, `IP:port`, `[IPv6]:port`, `dns://...`, `tls://...` (port 853). At most 15. */
  readonly to: readonly string[];
  /** Names under these zones are passed to the next plugin (the `from` zone itself never is). */
  readonly except?: readonly string[];
  /** Always query upstreams over TCP. Takes precedence over `preferUdp`. */
  readonly forceTcp?: boolean;
  /** Query over UDP even when the client came over TCP; a truncated reply is retried over TCP. */
  readonly preferUdp?: boolean;
  /** Close cached connections unused for this long; default 10 000 ms. */
  readonly expireMs?: number;
  /** Consecutive failed health checks after which an upstream is down; default 2, 0 disables. */
  readonly maxFails?: number;
  /** Most queries in flight; more get REFUSED. Default 0 (no limit). */
  readonly maxConcurrent?: number;
  readonly tls?: ForwardTlsOptions;
  /** The name to expect in the upstream's certificate (and to send as SNI). */
  readonly tlsServerName?: string;
  /** Default `random`. */
  readonly policy?: PolicyName;
  readonly healthCheck?: {
    /** Default 500 ms. */
    readonly intervalMs?: number;
    /** RD in health check queries; default true (`no_rec` clears it). */
    readonly recursionDesired?: boolean;
    /** The name asked (type NS); default `.`. */
    readonly domain?: string;
    /** How long a check waits for its reply; default 1000 ms (CoreDNS's). */
    readonly timeoutMs?: number;
  };
  /** Upstream rcodes that pass the query to the next plugin, when that plugin is a `forward`. */
  readonly next?: readonly Rcode[];
  /** SERVFAIL at once when every upstream is down, instead of trying a random one. */
  readonly failfastAllUnhealthyUpstreams?: boolean;
  /** How long one upstream attempt waits for its reply; default 2000 ms (CoreDNS's read timeout). */
  readonly readTimeoutMs?: number;
  /** How long a query may spend trying upstreams; default 5000 ms (CoreDNS's). */
  readonly timeoutMs?: number;
}

/** CoreDNS refuses more than 15 upstreams per `forward`. */
export const MAX_UPSTREAMS = 15;

/** Settled option values, defaults applied. */
interface ForwardConfig {
  readonly from: string;
  readonly except: readonly string[];
  readonly forceTcp: boolean;
  readonly preferUdp: boolean;
  readonly maxFails: number;
  readonly maxConcurrent: number;
  readonly next: ReadonlySet<Rcode>;
  readonly failfast: boolean;
  readonly readTimeoutMs: number;
  readonly timeoutMs: number;
}

function tlsOptions(options: ForwardOptions): ConnectionOptions {
  const { tls, tlsServerName } = options;
  const result: { -readonly [K in keyof ConnectionOptions]: ConnectionOptions[K] } = {};
  if (tls?.ca !== undefined) result.ca = toPem(tls.ca);
  if (tls?.cert !== undefined) result.cert = toPem(tls.cert);
  if (tls?.key !== undefined) result.key = toPem(tls.key);
  if (tlsServerName !== undefined) result.servername = tlsServerName;
  return result;
}

function toPem(value: string | Uint8Array): string | Buffer {
  return typeof value === 'string' ? value : Buffer.from(value);
}

function upstreamAddresses(to: readonly string[]): UpstreamAddress[] {
  if (to.length === 0) throw new Error('forward: no upstream given');
  if (to.length > MAX_UPSTREAMS)
    throw new Error(`forward: more than ${MAX_UPSTREAMS} TOs configured: ${to.length}`);
  return to.map((text) => {
    const address = parseUpstreamAddress(text);
    if (address === undefined) throw new Error(`forward: not an IP address: ${JSON.stringify(text)}`);
    return address;
  });
}

function makeUpstreams(options: ForwardOptions): Upstream[] {
  const tls = tlsOptions(options);
  const health = {
    intervalMs: options.healthCheck?.intervalMs ?? 500,
    recursionDesired: options.healthCheck?.recursionDesired ?? true,
    domain: normalizeName(options.healthCheck?.domain ?? '.'),
    overTcp: options.forceTcp ?? false,
    timeoutMs: options.healthCheck?.timeoutMs ?? 1000,
  };
  const expireMs = options.expireMs ?? 10_000;
  return upstreamAddresses(options.to).map(
    (address) => new Upstream({ address, expireMs, health, ...(address.protocol === 'tls' ? { tls } : {}) }),
  );
}

function settle(options: ForwardOptions): ForwardConfig {
  return {
    from: normalizeName(options.from ?? '.'),
    except: (options.except ?? []).map((zone) => normalizeName(zone)),
    forceTcp: options.forceTcp ?? false,
    preferUdp: options.preferUdp ?? false,
    maxFails: options.maxFails ?? 2,
    maxConcurrent: options.maxConcurrent ?? 0,
    next: new Set(options.next ?? []),
    failfast: options.failfastAllUnhealthyUpstreams ?? false,
    readTimeoutMs: options.readTimeoutMs ?? 2000,
    timeoutMs: options.timeoutMs ?? 5000,
  };
}

/** The forward plugin: see {@link forward}. */
class Forwarder {
  readonly upstreams: Upstream[];
  private readonly config: ForwardConfig;
  private readonly policy: Policy;
  private inFlight = 0;
  private nextIsForward = false;
  private metrics: ForwardMetrics | undefined;

  constructor(options: ForwardOptions) {
    this.config = settle(options);
    this.upstreams = makeUpstreams(options);
    this.policy = createPolicy(options.policy ?? 'random');
  }

  start(env: PluginEnv, self: Plugin): void {
    this.metrics = forwardMetrics(env.metrics);
    for (const upstream of this.upstreams) upstream.metrics = this.metrics;
    // CoreDNS's `next` only passes the query on when the next plugin is another forward.
    const index = env.chain.indexOf(self);
    this.nextIsForward = index !== -1 && env.chain[index + 1]?.name === 'forward';
  }

  stop(): void {
    for (const upstream of this.upstreams) upstream.stop();
  }

  /** In `from`, and not under an `except` zone (the `from` zone itself is always forwarded). */
  matches(name: string): boolean {
    const { from, except } = this.config;
    if (!isSubdomain(name, from)) return false;
    if (name === from) return true;
    return !except.some((zone) => isSubdomain(name, zone));
  }

  async handle(ctx: DnsContext, next: Next): Promise<void> {
    const { maxConcurrent } = this.config;
    if (maxConcurrent > 0 && this.inFlight >= maxConcurrent) {
      this.metrics?.maxConcurrentRejects.inc();
      ctx.fail('REFUSED', `concurrent queries exceeded maximum ${maxConcurrent}`);
      return;
    }
    this.inFlight++;
    try {
      const reply = await this.resolve(ctx);
      if (reply === 'next') return await next();
      if (reply !== undefined)
        ctx.response = { ...reply, id: ctx.request.id, questions: ctx.request.questions };
    } finally {
      this.inFlight--;
    }
  }

  /**
   * CoreDNS's loop: try the upstreams in policy order until one answers or the time is up;
   * down upstreams are skipped, and when all are down one is picked at random (or, with
   * failfast, none). A failed attempt starts that upstream's health check.
   */
  private async resolve(ctx: DnsContext): Promise<DnsMessage | 'next' | undefined> {
    const { maxFails, failfast, timeoutMs } = this.config;
    const all = this.upstreams;
    const list = this.policy(all);
    const signal = ctx.signal;
    const deadline = performance.now() + timeoutMs;
    let index = 0;
    let fails = 0;
    let attempts = 0;
    let lastError: unknown;
    // Bounded attempts: an upstream that refuses at once (ICMP unreachable) must not spin the loop.
    while (performance.now() < deadline && !signal.aborted && attempts < 2 * all.length + 1) {
      if (index >= list.length) {
        index = 0;
        fails = 0;
      }
      let upstream = list[index++] as Upstream;
      if (upstream.down(maxFails)) {
        fails++;
        if (fails < all.length) continue;
        this.metrics?.healthcheckBroken.inc();
        if (failfast) break;
        upstream = randomOrder(all)[0] as Upstream;
      }
      attempts++;
      try {
        const reply = await this.attempt(ctx, upstream, deadline - performance.now(), signal);
        if (this.config.next.has(reply.rcode) && this.nextIsForward) return 'next';
        return reply;
      } catch (error) {
        lastError = error;
        if (maxFails !== 0) upstream.healthcheck();
        if (fails >= all.length) break;
      }
    }
    const reason = lastError instanceof Error ? lastError.message : 'no healthy upstreams';
    ctx.fail('SERVFAIL', reason);
    return undefined;
  }

  /** One upstream, UDP or TCP per the client and options; a truncated UDP reply may be retried over TCP. */
  private async attempt(
    ctx: DnsContext,
    upstream: Upstream,
    leftMs: number,
    signal: AbortSignal,
  ): Promise<DnsMessage> {
    const { forceTcp, preferUdp, readTimeoutMs } = this.config;
    const overTcp = forceTcp || (!preferUdp && ctx.peer.transport === 'tcp');
    const timeout = Math.max(1, Math.min(readTimeoutMs, leftMs));
    let reply = await this.timed(upstream, () => upstream.exchange(ctx.request, overTcp, timeout, signal));
    // A UDP client retries a truncated answer over TCP itself; a TCP client (with prefer_udp)
    // or an in-process client cannot, so we do it (CoreDNS does with prefer_udp).
    if (reply.flags.tc && !overTcp && upstream.protocol === 'dns' && ctx.peer.transport !== 'udp') {
      reply = await this.timed(upstream, () => upstream.exchange(ctx.request, true, timeout, signal));
    }
    return reply;
  }

  private async timed(upstream: Upstream, exchange: () => Promise<DnsMessage>): Promise<DnsMessage> {
    const metrics = this.metrics;
    const started = performance.now();
    metrics?.requests.inc({ to: upstream.label });
    const reply = await exchange();
    if (metrics !== undefined) {
      const labels = { to: upstream.label, rcode: reply.rcode };
      metrics.responses.inc(labels);
      metrics.duration.observe(labels, (performance.now() - started) / 1000);
    }
    return reply;
  }
}

/**
 * The `forward` plugin: proxies queries in `from` to upstream resolvers over UDP, TCP or TLS,
 * with health checks, failover and connection reuse, as CoreDNS's _forward_. Replies keep the
 * client's ID and question spelling; the upstream's flags (RA, AA, AD) and sections pass through.
 *
 * @example
 * ```ts
 * const server = createServer({ plugins: [forward({ to: ['9.9.9.9', '149.112.112.112'] })] });
 * ```
 */
export function forward(options: ForwardOptions): Plugin {
  const forwarder = new Forwarder(options);
  const plugin: Plugin = {
    name: 'forward',
    handle: (ctx, next) => (forwarder.matches(ctx.question.name) ? forwarder.handle(ctx, next) : next()),
    start: (env) => forwarder.start(env, plugin),
    stop: () => forwarder.stop(),
  };
  return plugin;
}
