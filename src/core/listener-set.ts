import {
  type BindRequest,
  type BindSettings,
  closePairs,
  type ListenerPair,
  openListeners,
} from '../transport/bind.js';
import type { ListenerPlan, ServerBlock } from './blocks.js';
import type { QueryProcessor } from './processor.js';
import type { ListenAddress } from './types.js';
import type { ZoneRouter } from './zones.js';

/** One UDP+TCP pair and the router its packets go to; the router is swapped on reload. */
interface Listener {
  readonly key: string;
  readonly plan: ListenerPlan;
  readonly pair: ListenerPair;
  /** Read on every packet, so that assigning it moves the listener to another configuration. */
  slot: { router: ZoneRouter<ServerBlock> };
}

/** The listeners of a new configuration before they are committed. */
export interface ListenerChange {
  readonly plans: readonly ListenerPlan[];
  /** Pairs opened for plans whose port and address no listener has yet. */
  readonly opened: readonly Listener[];
}

/** Port and configured address: what makes a listener the same across reloads. */
function keyOf(plan: ListenerPlan): string {
  return `${plan.port} ${plan.address}`;
}

/**
 * The server's listeners, keyed by configured port and address, so that a reload keeps the
 * sockets whose address did not change (no query is dropped on them) and opens or closes the others.
 */
export class ListenerSet {
  private listeners = new Map<string, Listener>();

  constructor(
    private readonly processor: QueryProcessor,
    private readonly settings: BindSettings,
  ) {}

  /** Every address listened on, in opening order. */
  addresses(): ListenAddress[] {
    return [...this.listeners.values()].flatMap((l) => l.pair.addresses);
  }

  /** Opens the listeners of `plans` that do not exist yet; nothing is routed to them before commit. */
  async prepare(plans: readonly ListenerPlan[]): Promise<ListenerChange> {
    const missing = plans.filter((plan) => !this.listeners.has(keyOf(plan)));
    const slots = missing.map((plan) => ({ router: plan.router }));
    const processor = this.processor;
    const requests: BindRequest[] = missing.map((plan, i) => {
      const slot = slots[i] as { router: ZoneRouter<ServerBlock> };
      return {
        address: plan.address,
        port: plan.port,
        optional: plan.optional,
        handler: (bytes, peer, local, sink) => processor.handle(bytes, peer, local, slot.router, sink),
      };
    });
    const pairs = requests.length === 0 ? [] : await openListeners(requests, this.settings);
    // Optional addresses (no IPv6 here) may have been skipped: match pairs to plans by address.
    const opened: Listener[] = [];
    missing.forEach((plan, i) => {
      const pair = pairs.find((p) => sameAddress(p, plan));
      if (pair !== undefined)
        opened.push({ key: keyOf(plan), plan, pair, slot: slots[i] as Listener['slot'] });
    });
    return { plans, opened };
  }

  /** Undoes a prepare whose configuration will not be used. */
  async abandon(change: ListenerChange): Promise<void> {
    await closePairs(change.opened.map((l) => l.pair));
  }

  /**
   * Routes every listener to the new configuration in one synchronous step and returns the
   * listeners it no longer wants (already not accepting; close them once their queries finished).
   */
  commit(change: ListenerChange): ListenerPair[] {
    const next = new Map<string, Listener>();
    for (const plan of change.plans) {
      const key = keyOf(plan);
      const kept = this.listeners.get(key);
      if (kept !== undefined) {
        kept.slot.router = plan.router;
        next.set(key, { ...kept, plan });
      }
    }
    for (const listener of change.opened) next.set(listener.key, listener);
    const removed = [...this.listeners.values()].filter((l) => !next.has(l.key)).map((l) => l.pair);
    for (const pair of removed) {
      pair.udp?.stopAccepting();
      pair.tcp?.stopAccepting();
    }
    this.listeners = next;
    return removed;
  }

  /** The addresses the block listens on: those of the listeners whose router serves it. */
  addressesOf(block: ServerBlock): ListenAddress[] {
    return [...this.listeners.values()]
      .filter((l) => l.plan.blocks.includes(block))
      .flatMap((l) => l.pair.addresses);
  }

  /** Stops accepting on every listener (close() begins). */
  stopAccepting(): void {
    for (const { pair } of this.listeners.values()) {
      pair.udp?.stopAccepting();
      pair.tcp?.stopAccepting();
    }
  }

  /** Closes every listener. */
  async close(): Promise<void> {
    const pairs = [...this.listeners.values()].map((l) => l.pair);
    this.listeners = new Map();
    await closePairs(pairs);
  }
}

function sameAddress(pair: ListenerPair, plan: ListenerPlan): boolean {
  const first = pair.addresses[0];
  return (
    first !== undefined && first.address === plan.address && (plan.port === 0 || first.port === plan.port)
  );
}
