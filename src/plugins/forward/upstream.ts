import type { ConnectionOptions } from 'node:tls';
import { encodeMessage } from '../../wire/encode.js';
import { makeQuery } from '../../wire/query.js';
import type { DnsMessage } from '../../wire/types.js';
import { formatHostPort, type UpstreamAddress } from './address.js';
import type { ForwardMetrics } from './metrics.js';
import { expectationFor, randomId } from './reply.js';
import { StreamPool } from './stream-pool.js';
import { UdpPool } from './udp-pool.js';

/** How the health check asks (CoreDNS: `. IN NS`, RD set, over the upstream's transport). */
export interface HealthCheckSettings {
  /** Interval between checks while the upstream keeps failing; 0 checks once per failure. */
  readonly intervalMs: number;
  readonly recursionDesired: boolean;
  readonly domain: string;
  /** Checks over TCP instead of UDP (with `force_tcp`); TLS upstreams always use TLS. */
  readonly overTcp: boolean;
  /** How long a check waits for its reply (CoreDNS: 1 s). */
  readonly timeoutMs: number;
}

/** Settings of one {@link Upstream}. */
export interface UpstreamSettings {
  readonly address: UpstreamAddress;
  readonly expireMs: number;
  /** TLS client options (CA, client certificate, server name) for `tls://` upstreams. */
  readonly tls?: ConnectionOptions;
  readonly health: HealthCheckSettings;
}

/**
 * One upstream resolver: its UDP sockets and TCP/TLS connections, and its health. `fails` counts
 * consecutive failed health checks; a check runs after any failed query and repeats every
 * interval until one succeeds (CoreDNS's probe), with at most one loop at a time.
 */
export class Upstream {
  /** `host:port`, the `to` label of the metrics. */
  readonly label: string;
  fails = 0;
  metrics: ForwardMetrics | undefined;
  private readonly udp: UdpPool | undefined;
  private readonly stream: StreamPool;
  private probing = false;
  private stopped = false;
  private probeTimer: NodeJS.Timeout | undefined;
  /** Aborts a check in flight when the plugin stops, so that nothing outlives the server. */
  private readonly probeAbort = new AbortController();

  constructor(private readonly settings: UpstreamSettings) {
    const { address, expireMs, tls } = settings;
    this.label = formatHostPort(address);
    const { host, port } = address;
    const proto = address.protocol === 'tls' ? 'tcp-tls' : 'tcp';
    const streamDial = (cached: boolean) => this.countDial(cached, proto);
    if (address.protocol === 'tls') {
      this.stream = new StreamPool({ host, port, expireMs, tls: tls ?? {}, onDial: streamDial });
    } else {
      this.stream = new StreamPool({ host, port, expireMs, onDial: streamDial });
      this.udp = new UdpPool({ host, port, expireMs, onDial: (cached) => this.countDial(cached, 'udp') });
    }
  }

  get protocol(): UpstreamAddress['protocol'] {
    return this.settings.address.protocol;
  }

  /**
   * Sends `message` with a fresh random ID over UDP or TCP (always TLS for a `tls://` upstream)
   * and returns the reply, which carries that random ID.
   */
  exchange(
    message: DnsMessage,
    overTcp: boolean,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<DnsMessage> {
    const id = randomId();
    const query = encodeMessage(message.id === id ? message : { ...message, id });
    const expect = expectationFor(id, message.questions[0] ?? { name: '.', type: 'NS', class: 'IN' });
    if (this.udp !== undefined && !overTcp) return this.udp.exchange(query, expect, timeoutMs, signal);
    return this.stream.exchange(query, expect, timeoutMs, signal);
  }

  /** Down once it failed more than `maxFails` health checks in a row; never with `maxFails` 0. */
  down(maxFails: number): boolean {
    return maxFails !== 0 && this.fails > maxFails;
  }

  /** Starts the health check loop unless one is running. */
  healthcheck(): void {
    if (this.probing || this.stopped) return;
    this.probing = true;
    void this.probe();
  }

  /** Stops health checking and closes every idle socket. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.probeTimer);
    this.probeAbort.abort();
    this.udp?.close();
    this.stream.close();
  }

  private async probe(): Promise<void> {
    while (!this.stopped) {
      const healthy = await this.check();
      if (this.stopped) break;
      if (healthy) {
        this.fails = 0;
        break;
      }
      this.fails++;
      this.metrics?.healthcheckFailures.inc({ to: this.label });
      if (this.settings.health.intervalMs <= 0) break;
      await new Promise<void>((resolve) => {
        this.probeTimer = setTimeout(resolve, this.settings.health.intervalMs);
        this.probeTimer.unref();
      });
    }
    this.probing = false;
  }

  /** Any reply to our question counts as healthy, whatever its rcode (CoreDNS does the same). */
  private async check(): Promise<boolean> {
    const { domain, recursionDesired, overTcp, timeoutMs } = this.settings.health;
    try {
      await this.exchange(
        makeQuery(domain, 'NS', { rd: recursionDesired, id: 0 }),
        overTcp,
        timeoutMs,
        this.probeAbort.signal,
      );
      return true;
    } catch {
      return false;
    }
  }

  private countDial(cached: boolean, proto: string): void {
    const metrics = this.metrics;
    if (metrics === undefined) return;
    (cached ? metrics.connCacheHits : metrics.connCacheMisses).inc({ to: this.label, proto });
  }
}
