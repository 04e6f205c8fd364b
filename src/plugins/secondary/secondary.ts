import type { DnsContext, Next, Plugin, PluginEnv } from '../../core/types.js';
import { matchZone, normalizeZones } from '../../core/zones.js';
import { createZoneStore } from '../../zone/store.js';
import type { ZoneProvider, ZoneSource, ZoneStore } from '../../zone/types.js';
import type { TransferTarget } from '../transfer/transfer.js';
import { type SecondaryTimers, ZoneRefresher } from './refresher.js';

export type { SecondaryTimers } from './refresher.js';

/** Options of {@link secondary}. */
export interface SecondaryOptions {
  /** The zones to pull and serve; default the server block's zones. */
  readonly zones?: readonly string[];
  /** Primaries to transfer from, tried in order. */
  readonly from: readonly TransferTarget[];
  readonly timers?: SecondaryTimers;
}

/** The secondary plugin: a {@link ZoneProvider}, with a way to wait for its background work. */
export interface SecondaryPlugin extends Plugin, ZoneProvider {
  /** Resolves once no transfer or serial check is running (for tests driving the timers). */
  settled(): Promise<void>;
}

const defaultTimers: SecondaryTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  now: () => Date.now(),
};

class Secondary implements SecondaryPlugin {
  readonly name = 'secondary';
  readonly handle = (ctx: DnsContext, next: Next) => this.serve(ctx, next);
  private readonly store: ZoneStore = createZoneStore();
  private refreshers: ZoneRefresher[] = [];
  private zoneNames: readonly string[] = [];

  constructor(private readonly options: SecondaryOptions) {}

  zones(): ZoneSource {
    return this.store;
  }

  start(env: PluginEnv): void {
    const configured = this.options.zones;
    this.zoneNames =
      configured === undefined || configured.length === 0 ? env.zones : normalizeZones(configured);
    const timers = this.options.timers ?? defaultTimers;
    this.refreshers = this.zoneNames.map(
      (origin) => new ZoneRefresher(origin, this.options.from, this.store, timers, env.logger),
    );
    for (const refresher of this.refreshers) refresher.start();
  }

  stop(): void {
    for (const refresher of this.refreshers) refresher.stop();
  }

  async settled(): Promise<void> {
    for (
      let busy = this.refreshers.find((r) => r.running);
      busy;
      busy = this.refreshers.find((r) => r.running)
    ) {
      await busy.running;
    }
  }

  private serve(ctx: DnsContext, next: Next): Promise<void> | void {
    const origin = matchZone(this.zoneNames, ctx.question.name);
    if (origin === undefined) return next();
    const zone = this.store.get(origin);
    // Not transferred yet, or expired (RFC 1034 4.3.5): no authoritative data to give.
    if (zone === undefined) return ctx.fail('SERVFAIL', `zone ${origin} is not loaded or has expired`);
    ctx.reply(
      zone.lookup(ctx.question.name, ctx.question.type, { rawName: ctx.rawName, do: ctx.edns?.do ?? false }),
    );
  }
}

/**
 * The `secondary` plugin: pulls zones from primaries by AXFR over TCP, serves them once loaded
 * (SERVFAIL before), keeps them fresh on the SOA's refresh/retry timers and stops serving them
 * after `expire` without contact. As a {@link ZoneProvider} it lets `transfer` pass them on.
 *
 * @example
 * ```ts
 * secondary({ zones: ['example.org.'], from: [{ address: '192.0.2.1', port: 53 }] });
 * ```
 */
export function secondary(options: SecondaryOptions): SecondaryPlugin {
  return new Secondary(options);
}
