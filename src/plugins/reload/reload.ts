import { createHash } from 'node:crypto';
import type { Counter, Gauge, Registry } from 'prom-client';
import type { Logger, Plugin, PluginEnv } from '../../core/types.js';
import { counterIn, gaugeIn } from '../../metrics/registry.js';
import { type ReloadSource, reloadSource } from './source.js';

/** Options of {@link reload}. */
export interface ReloadOptions {
  /** How often the Corefile is checked; default 30 000 ms. */
  readonly intervalMs?: number;
  /** The check period varies by up to ± half of this, chosen once at start; default 15 000 ms. */
  readonly jitterMs?: number;
  /** What to reload; default the source the CLI registered ({@link setReloadSource}). */
  readonly source?: ReloadSource;
  /** For tests: a random number in [0, 1). */
  readonly random?: () => number;
}

interface ReloadMetrics {
  readonly version: Gauge;
  readonly failed: Counter;
}

function reloadMetrics(registry: Registry): ReloadMetrics {
  return {
    version: gaugeIn(registry, {
      name: 'coredns_reload_version_info',
      help: 'A metric with a constant 1 value labeled by hash, and value which type of hash generated.',
      labelNames: ['hash', 'value'],
    }),
    failed: counterIn(registry, {
      name: 'coredns_reload_failed_total',
      help: 'Counter of the number of failed reload attempts.',
    }),
  };
}

/** SHA-512 of the Corefile text, in hex, as CoreDNS logs and exports it. */
export function corefileHash(text: string): string {
  return createHash('sha512').update(text).digest('hex');
}

/** The poller checking the file now: a reload starts a new one, which takes over. */
let activePoller: object | undefined;

/**
 * Reloads the Corefile when it changes, as CoreDNS's *reload*: every INTERVAL (± JITTER/2) hashes
 * the file, and when the hash differs, builds the new configuration and swaps the server to it
 * without dropping queries. An invalid new Corefile is logged with its location and counted; the
 * old configuration keeps serving, and that same text is not tried again.
 */
export function reload(options: ReloadOptions = {}): Plugin {
  const intervalMs = options.intervalMs ?? 30_000;
  const jitterMs = Math.min(options.jitterMs ?? 15_000, intervalMs / 2);
  const me = {};
  let timer: NodeJS.Timeout | undefined;
  let logger: Logger | undefined;
  let metrics: ReloadMetrics | undefined;
  let hash = '';

  const check = async (source: ReloadSource) => {
    let text: string;
    try {
      text = source.read();
    } catch {
      return; // unreadable now (being rewritten?): try again next time, as CoreDNS does
    }
    const next = corefileHash(text);
    if (next === hash) return;
    hash = next; // a broken file is not retried until it changes again
    try {
      await source.apply(text);
    } catch (error) {
      logger?.error(`plugin/reload: Corefile changed but reload failed: ${(error as Error).message}`);
      metrics?.failed.inc();
    }
  };

  const schedule = (source: ReloadSource, periodMs: number) => {
    timer = setTimeout(async () => {
      if (activePoller !== me) return;
      await check(source);
      if (activePoller === me) schedule(source, periodMs);
    }, periodMs);
    timer.unref();
  };

  return {
    name: 'reload',
    handle: (_ctx, next) => next(),
    start(env: PluginEnv) {
      logger = env.logger;
      const source = options.source ?? reloadSource();
      if (source === undefined) {
        env.logger.warn('plugin/reload: no Corefile to watch (the server was not started from one)');
        return;
      }
      hash = corefileHash(source.running());
      metrics = reloadMetrics(env.metrics);
      metrics.version.reset();
      metrics.version.set({ hash: 'sha512', value: hash }, 1);
      env.logger.info(`plugin/reload: Running configuration SHA512 = ${hash}`);
      activePoller = me;
      const random = options.random ?? Math.random;
      schedule(source, intervalMs + (random() - 0.5) * jitterMs);
    },
    stop() {
      if (activePoller === me) activePoller = undefined;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
