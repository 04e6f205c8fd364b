import type { Logger } from '../../core/types.js';
import type { SoaData } from '../../wire/types.js';
import type { Zone, ZoneStore } from '../../zone/types.js';
import { createZone } from '../../zone/zone.js';
import { serialLess } from '../transfer/serial.js';
import type { TransferTarget } from '../transfer/transfer.js';
import { primarySerial, transferIn } from './client.js';

/** One-shot timers and a clock; tests inject fake ones. */
export interface SecondaryTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Milliseconds since some epoch. */
  now(): number;
}

/** CoreDNS's back-off for the first transfer: 250 ms doubling up to 10 s. */
const firstRetryMs = 250;
const maxFirstRetryMs = 10_000;

function seconds(value: number): number {
  return Math.max(1, value) * 1000;
}

/**
 * Keeps one secondary zone fresh (RFC 1034 4.3.5): transfers it in, then every SOA `refresh`
 * checks the primaries' serial and transfers when it increased (RFC 1982); after a failure it
 * tries every `retry`, and once `expire` has passed since the last success it stops serving the
 * zone until a transfer succeeds again.
 */
export class ZoneRefresher {
  private timer: unknown = undefined;
  private lastSuccess = 0;
  private expired = false;
  /** The SOA of the last zone held, for its timers while the zone is expired. */
  private lastSoa: SoaData | undefined = undefined;
  private stopped = false;
  private readonly abort = new AbortController();
  /** The running check or transfer, for tests and for `stop`. */
  running: Promise<void> | undefined = undefined;

  constructor(
    readonly origin: string,
    private readonly primaries: readonly TransferTarget[],
    private readonly store: ZoneStore,
    private readonly timers: SecondaryTimers,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.run(() => this.firstTransfer(firstRetryMs));
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private run(step: () => Promise<void>): void {
    this.running = step().finally(() => {
      this.running = undefined;
    });
  }

  private schedule(ms: number, step: () => Promise<void>): void {
    if (this.stopped) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.run(step);
    }, ms);
  }

  private get soa(): SoaData | undefined {
    return this.store.get(this.origin)?.soa.data ?? this.lastSoa;
  }

  private async firstTransfer(delay: number): Promise<void> {
    if (await this.transfer()) return this.scheduleRefresh();
    this.logger.warn(`secondary: all primaries of ${this.origin} failed, retrying in ${delay} ms`);
    this.schedule(delay, () => this.firstTransfer(Math.min(delay * 2, maxFirstRetryMs)));
  }

  /** Tries each primary in turn; true once one gave a usable zone. */
  private async transfer(): Promise<boolean> {
    for (const primary of this.primaries) {
      try {
        const zone: Zone = createZone(this.origin, await transferIn(primary, this.origin, this.abort.signal));
        if (this.stopped) return false;
        this.store.set(this.origin, zone);
        this.lastSoa = zone.soa.data;
        this.lastSuccess = this.timers.now();
        this.expired = false;
        this.logger.info(
          `secondary: transferred ${this.origin} (serial ${zone.serial}) from ${primary.address}`,
        );
        return true;
      } catch (error) {
        this.logger.warn(
          `secondary: transfer of ${this.origin} from ${primary.address} failed: ${String(error)}`,
        );
      }
    }
    return false;
  }

  /** Asks the primaries for their serial: 'newer', 'same', or undefined when none answered. */
  private async check(): Promise<'newer' | 'same' | undefined> {
    const current = this.store.get(this.origin)?.serial ?? this.lastSoa?.serial ?? 0;
    for (const primary of this.primaries) {
      try {
        const serial = await primarySerial(primary, this.origin, this.abort.signal);
        return serialLess(current, serial) ? 'newer' : 'same';
      } catch (error) {
        this.logger.warn(
          `secondary: SOA check of ${this.origin} at ${primary.address} failed: ${String(error)}`,
        );
      }
    }
    return undefined;
  }

  private scheduleRefresh(): void {
    const soa = this.soa;
    if (soa !== undefined) this.schedule(seconds(soa.refresh), () => this.refresh());
  }

  private async refresh(): Promise<void> {
    // An expired zone is no longer served: only a fresh transfer brings it back.
    const state = this.expired ? 'newer' : await this.check();
    const ok = state === 'same' || (state === 'newer' && (await this.transfer()));
    if (this.stopped) return;
    if (ok) {
      this.lastSuccess = this.timers.now();
      return this.scheduleRefresh();
    }
    this.failed();
  }

  private failed(): void {
    const soa = this.soa;
    if (soa === undefined) return;
    const expireAt = this.lastSuccess + seconds(soa.expire);
    const now = this.timers.now();
    if (!this.expired && now >= expireAt) {
      this.expired = true;
      this.store.delete(this.origin);
      this.logger.error(`secondary: zone ${this.origin} expired`);
    }
    // Wake at the next retry, or at the expiry if that comes first.
    const wait = this.expired ? seconds(soa.retry) : Math.min(seconds(soa.retry), expireAt - now);
    this.schedule(wait, () => this.refresh());
  }
}
