import { isIPv6 } from 'node:net';
import { EventEmitter } from 'eventemitter3';
import { Registry } from 'prom-client';
import { closePairs } from '../transport/bind.js';
import { decodeMessage, encodeMessage } from '../wire/index.js';
import type { DnsMessage } from '../wire/types.js';
import { planListeners, portRouter, resolveBlocks, type ServerBlock } from './blocks.js';
import type { LocalAddress } from './context.js';
import { PluginLifecycle } from './lifecycle.js';
import { ListenerSet } from './listener-set.js';
import { createLogger } from './logger.js';
import type { ServerOptions } from './options.js';
import { QueryProcessor } from './processor.js';
import type { ResponseSink } from './sink.js';
import type { DnsServer, ExchangeOptions, ListenAddress, Logger, Peer, ServerEvents } from './types.js';
import type { ZoneRouter } from './zones.js';

const defaults = { queryTimeoutMs: 5000, idleTimeoutMs: 10_000, maxConnections: 1000, maxPipelined: 100 };

type State = 'idle' | 'listening' | 'closed';

/** One configuration: its blocks, their routers per port (for `exchange`) and their plugins. */
interface Generation {
  readonly blocks: readonly ServerBlock[];
  readonly routers: ReadonlyMap<number, ZoneRouter<ServerBlock>>;
  readonly plugins: PluginLifecycle;
}

class Server implements DnsServer {
  private readonly events = new EventEmitter<ServerEvents>();
  readonly metrics = new Registry();
  private readonly logger: Logger;
  private readonly processor: QueryProcessor;
  private readonly listeners: ListenerSet;
  private current: Generation;
  private state: State = 'idle';
  private closing = false;
  private opening: Promise<void> | undefined = undefined;
  private reloading: Promise<void> = Promise.resolve();

  constructor(options: ServerOptions) {
    this.logger = options.logger ?? createLogger();
    this.processor = new QueryProcessor(
      this.events,
      this.logger,
      options.queryTimeoutMs ?? defaults.queryTimeoutMs,
    );
    this.current = this.generation(options);
    this.listeners = new ListenerSet(this.processor, {
      transports: options.transports ?? ['udp', 'tcp'],
      tcp: {
        idleTimeoutMs: options.tcp?.idleTimeoutMs ?? defaults.idleTimeoutMs,
        maxConnections: options.tcp?.maxConnections ?? defaults.maxConnections,
        maxPipelined: options.tcp?.maxPipelined ?? defaults.maxPipelined,
      },
      report: (error) => this.processor.reportError(error),
      warn: (message) => this.logger.warn(message),
    });
  }

  /** Resolves blocks (running `configure`) and builds their routers: throws before anything starts. */
  private generation(options: ServerOptions): Generation {
    const blocks = resolveBlocks(options);
    if (blocks.length === 0) throw new Error('createServer: no server block');
    // Fail at build time, not at first query, on zones served twice on one port.
    const routers = new Map<number, ZoneRouter<ServerBlock>>();
    for (const block of blocks) routers.set(block.port, portRouter(blocks, block.port));
    return { blocks, routers, plugins: new PluginLifecycle(blocks, this.logger, this, this.metrics) };
  }

  on<E extends keyof ServerEvents>(event: E, listener: ServerEvents[E]): this {
    (this.events.on as (event: E, listener: ServerEvents[E]) => unknown)(event, listener);
    return this;
  }

  off<E extends keyof ServerEvents>(event: E, listener: ServerEvents[E]): this {
    (this.events.off as (event: E, listener: ServerEvents[E]) => unknown)(event, listener);
    return this;
  }

  listen(): Promise<void> {
    if (this.state === 'closed' || this.closing) return Promise.reject(new Error('server is closed'));
    if (this.opening !== undefined) return Promise.reject(new Error('listen() was already called'));
    this.opening = this.open();
    return this.opening;
  }

  async close(): Promise<void> {
    if (this.closing || this.state === 'closed') return;
    this.closing = true;
    await this.opening?.catch(() => undefined);
    await this.reloading;
    // Shutdown hooks (health's lameduck) run while the server still answers.
    if (this.state === 'listening') await this.current.plugins.shutdown();
    this.state = 'closed';
    this.listeners.stopAccepting();
    // Deadlines bound this wait: every query is answered by its timeout at the latest.
    await this.processor.inFlight.whenEmpty();
    await new Promise((resolve) => setImmediate(resolve)); // let the last answers reach the sockets
    await this.listeners.close();
    await this.current.plugins.stop();
  }

  addresses(): readonly ListenAddress[] {
    return this.listeners.addresses();
  }

  ready(): boolean {
    return this.current.plugins.ready();
  }

  reload(options: ServerOptions): Promise<void> {
    if (this.state === 'closed' || this.closing) return Promise.reject(new Error('server is closed'));
    const run = this.reloading.then(() => this.swap(options));
    this.reloading = run.catch(() => undefined);
    return run;
  }

  async exchange(query: DnsMessage | Uint8Array, options: ExchangeOptions = {}): Promise<DnsMessage> {
    return (await this.exchangeMessages(query, options, false))[0] as DnsMessage;
  }

  exchangeAll(query: DnsMessage | Uint8Array, options: ExchangeOptions = {}): Promise<DnsMessage[]> {
    return this.exchangeMessages(query, options, true);
  }

  private async exchangeMessages(
    query: DnsMessage | Uint8Array,
    options: ExchangeOptions,
    stream: boolean,
  ): Promise<DnsMessage[]> {
    if (this.state === 'closed') throw new Error('server is closed');
    const bytes = query instanceof Uint8Array ? query : encodeMessage(query, { maxSize: 65535 });
    const generation = this.current;
    const router = this.exchangeRouter(generation, options.port);
    await generation.plugins.start();
    const peer = exchangePeer(options.peer);
    return new Promise((resolve, reject) => {
      const decodeAll = (responses: readonly Uint8Array[]) => {
        try {
          resolve(responses.map((response) => decodeMessage(response)));
        } catch (error) {
          reject(error);
        }
      };
      const sink: ResponseSink = {
        send: (response) => decodeAll([response]),
        drop: (reason) => reject(new Error(`query dropped without a response (${reason})`)),
        ...(stream ? { sendAll: decodeAll } : {}),
      };
      this.processor.handle(bytes, peer, this.exchangeLocal(), router, sink);
    });
  }

  private async open(): Promise<void> {
    const generation = this.current;
    await generation.plugins.start();
    try {
      const change = await this.listeners.prepare(planListeners(generation.blocks));
      this.listeners.commit(change);
    } catch (error) {
      await generation.plugins.stop();
      throw error;
    }
    this.state = 'listening';
    generation.plugins.markListening((block) => this.listeners.addressesOf(block));
    this.emitListening(this.addresses());
  }

  /** The reload itself: start the new plugins, open new listeners, swap, drain, stop the old. */
  private async swap(options: ServerOptions): Promise<void> {
    const next = this.generation(options);
    await next.plugins.start();
    const listening = this.state === 'listening';
    let removed: Awaited<ReturnType<ListenerSet['commit']>> = [];
    const before = new Set(this.addresses().map(addressKey));
    if (listening) {
      let change: Awaited<ReturnType<ListenerSet['prepare']>>;
      try {
        change = await this.listeners.prepare(planListeners(next.blocks));
      } catch (error) {
        await next.plugins.stop();
        throw error;
      }
      // From here on, every new packet goes to the new chains (one synchronous step).
      removed = this.listeners.commit(change);
    }
    const previous = this.current;
    this.current = next;
    if (listening) {
      next.plugins.markListening((block) => this.listeners.addressesOf(block));
      this.emitListening(this.addresses().filter((a) => !before.has(addressKey(a))));
    }
    await this.drain();
    await closePairs(removed);
    await previous.plugins.stop();
  }

  /** Waits until the queries in flight now have been answered (each within its deadline). */
  private async drain(): Promise<void> {
    const pending = [...this.processor.inFlight.entries()];
    while (pending.some((ctx) => !ctx.finished)) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setImmediate(resolve)); // let the last answers reach the sockets
  }

  private emitListening(addresses: readonly ListenAddress[]): void {
    if (this.events.listenerCount('listening') === 0) return;
    for (const address of addresses) this.events.emit('listening', address);
  }

  private exchangeRouter(generation: Generation, port: number | undefined): ZoneRouter<ServerBlock> {
    const wanted = port ?? (generation.blocks[0] as ServerBlock).port;
    const router =
      generation.routers.get(wanted) ??
      (this.addresses().some((a) => a.port === wanted) ? generation.routers.get(0) : undefined);
    // After listen() on port 0, the real port also names the blocks configured with 0.
    if (router === undefined) throw new Error(`exchange: no server block on port ${wanted}`);
    return router;
  }

  private exchangeLocal(): LocalAddress {
    const first = this.addresses()[0];
    return first === undefined ? placeholderLocal : { address: first.address, port: first.port };
  }
}

function addressKey(address: ListenAddress): string {
  return `${address.transport} ${address.address} ${address.port}`;
}

const placeholderLocal: LocalAddress = Object.freeze({ address: '127.0.0.1', port: 53 });

function exchangePeer(peer: Partial<Peer> | undefined): Peer {
  const address = peer?.address ?? '127.0.0.1';
  return {
    address,
    port: peer?.port ?? 53000,
    transport: peer?.transport ?? 'memory',
    family: peer?.family ?? (isIPv6(address) ? 'IPv6' : 'IPv4'),
  };
}

/**
 * Builds a DNS server from plugins (or server blocks). Nothing listens until
 * {@link DnsServer.listen}; {@link DnsServer.exchange} works either way.
 *
 * @example
 * ```ts
 * const server = createServer({
 *   zones: ['example.org.'],
 *   port: 5353,
 *   plugins: [{ name: 'hello', handle: (ctx) => ctx.reply({ answers: [] }) }],
 * });
 * await server.listen();
 * ```
 */
export function createServer(options: ServerOptions): DnsServer {
  return new Server(options);
}
