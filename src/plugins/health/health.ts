import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Counter, Histogram, Registry } from 'prom-client';
import type { Logger, Plugin, PluginEnv } from '../../core/types.js';
import { type HttpRoute, serveHttp, writeText } from '../../metrics/http-endpoint.js';
import { counterIn, histogramIn } from '../../metrics/registry.js';
import { formatDuration } from '../../plugin-kit/duration.js';

/** Options of {@link health}. */
export interface HealthOptions {
  /** Where `/health` is served; default `:8080` (every address). Port 0 picks a free port. */
  readonly address?: string;
  /** How long {@link DnsServer.close} keeps serving (and `/health` answering OK) before it stops; default 0. */
  readonly lameduckMs?: number;
  /** How often the self-check requests `/health` for the metrics; default 1000 ms, 0 disables it. */
  readonly selfCheckIntervalMs?: number;
}

/** The `health` plugin, with the bound address for tests and embedders. */
export interface HealthPlugin extends Plugin {
  /** The address `/health` is served on once started (the real port when 0 was asked). */
  address(): AddressInfo | undefined;
}

// CoreDNS's SlimTimeBuckets: the self-check is local and should be fast.
const slimTimeBuckets = [0.00025, 0.0025, 0.025, 0.25, 2.5];
const selfCheckTimeoutMs = 3000;

interface HealthMetrics {
  readonly duration: Histogram;
  readonly failures: Counter;
}

function healthMetrics(registry: Registry): HealthMetrics {
  return {
    duration: histogramIn(registry, {
      name: 'coredns_health_request_duration_seconds',
      help: 'Histogram of the time (in seconds) each request took.',
      buckets: slimTimeBuckets,
    }),
    failures: counterIn(registry, {
      name: 'coredns_health_request_failures_total',
      help: 'The number of times the health check failed.',
    }),
  };
}

function urlOf(bound: AddressInfo): string {
  const wildcard = bound.address === '::' || bound.address === '0.0.0.0';
  const host = wildcard ? '127.0.0.1' : bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return `http://${host}:${bound.port}/health`;
}

/** Resolves with the status of one GET of `url`, its body drained; rejects on error or timeout. */
function getStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // node:http rather than the global fetch: fetch loads undici and compiles its WebAssembly
    // parser, which costs a long-running server ~30 MB of peak native memory for a once-a-second
    // request to itself.
    const request = get(url, { timeout: selfCheckTimeoutMs }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}

/** Requests our own `/health` once, recording its duration or a failure (CoreDNS's overload check). */
async function selfCheck(url: string, metrics: HealthMetrics): Promise<void> {
  const started = performance.now();
  try {
    const status = await getStatus(url);
    if (status !== 200) throw new Error(`status ${status}`);
    metrics.duration.observe((performance.now() - started) / 1000);
  } catch {
    metrics.failures.inc();
  }
}

/**
 * An HTTP health endpoint, as CoreDNS's *health*: `GET /health` answers `200 OK` while the process
 * serves. It is not a middleware: queries pass straight on. With a lameduck, closing the server
 * first waits that long, still answering DNS queries and `/health`, so that load balancers move
 * away before the sockets close.
 */
export function health(options: HealthOptions = {}): HealthPlugin {
  const address = options.address ?? ':8080';
  const lameduckMs = options.lameduckMs ?? 0;
  const intervalMs = options.selfCheckIntervalMs ?? 1000;
  let route: HttpRoute | undefined;
  let timer: NodeJS.Timeout | undefined;
  let logger: Logger | undefined;
  return {
    name: 'health',
    handle: (_ctx, next) => next(),
    async start(env: PluginEnv) {
      logger = env.logger;
      route = await serveHttp(address, '/health', (_request, response) => writeText(response, 200, 'OK'));
      if (intervalMs <= 0) return;
      const metrics = healthMetrics(env.metrics);
      const url = urlOf(route.bound);
      timer = setInterval(() => void selfCheck(url, metrics), intervalMs);
      timer.unref();
    },
    async shutdown() {
      if (lameduckMs <= 0) return;
      logger?.info(`plugin/health: Going into lameduck mode for ${formatDuration(lameduckMs)}`);
      await new Promise((resolve) => setTimeout(resolve, lameduckMs));
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      const current = route;
      route = undefined;
      await current?.release();
    },
    address: () => route?.bound,
  };
}
