import { isIPv6 } from 'node:net';
import { EventEmitter } from 'eventemitter3';
import { Registry } from 'prom-client';
import { type BindRequest, closePairs, type ListenerPair, openListeners } from '../transport/bind.js';
import type { TcpListenerLimits } from '../transport/tcp.js';
import { decodeMessage, encodeMessage } from '../wire/index.js';
import type { DnsMessage } from '../wire/types.js';
import { planListeners, portRouter, resolveBlocks, type ServerBlock } from './blocks.js';
import type { LocalAddress } from './context.js';
import { PluginLifecycle } from './lifecycle.js';
import { createLogger } from './logger.js';
import type { ServerOptions } from './options.js';
import { QueryProcessor } from './processor.js';
import type { ResponseSink } from './sink.js';
import type { DnsServer, ExchangeOptions, ListenAddress, Logger, Peer, ServerEvents } from './types.js';
import type { ZoneRouter } from './zones.js';

const defaults = { queryTimeoutMs: 5000, idleTimeoutMs: 10_000, maxConnections: 1000, maxPipelined: 100 };

type State = 'idle' | 'listening' | 'closed';

class Server implements DnsServer {
  private readonly events = new EventEmitter<ServerEvents>();
  readonly metrics = new Registry();
  private readonly logger: Logger;
  private readonly blocks: readonly ServerBlock[];
  private readonly routers = new Map<number, ZoneRouter<ServerBlock>>();
  private readonly processor: QueryProcessor;
  private readonly plugins: PluginLifecycle;
  private readonly tcpLimits: TcpListenerLimits;
  private readonly transports: readonly ('udp' | 'tcp')[];
  private pairs: ListenerPair[] = [];
  private state: State = 'idle';
  private opening: Promise<void> | undefined = undefined;

  constructor(options: ServerOptions) {
    this.logger = options.logger ?? createLogger();
    this.blocks = resolveBlocks(options);
    if (this.blocks.length === 0) throw new Error('createServer: no server block');
    // Fail at build time, not at first query, on zones served twice on one port.
    for (const block of this.blocks) this.routers.set(block.port, portRouter(this.blocks, block.port));
    this.processor = new QueryProcessor(
      this.events,
      this.logger,
      options.queryTimeoutMs ?? defaults.queryTimeoutMs,
    );
    this.plugins = new PluginLifecycle(this.blocks, this.logger, this, this.metrics);
    this.transports = options.transports ?? ['udp', 'tcp'];
    this.tcpLimits = {
      idleTimeoutMs: options.tcp?.idleTimeoutMs ?? defaults.idleTimeoutMs,
      maxConnections: options.tcp?.maxConnections ?? defaults.maxConnections,
      maxPipelined: options.tcp?.maxPipelined ?? defaults.maxPipelined,
    };
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
    if (this.state === 'closed') return Promise.reject(new Error('server is closed'));
    if (this.opening !== undefined) return Promise.reject(new Error('listen() was already called'));
    this.opening = this.open();
    return this.opening;
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    await this.opening?.catch(() => undefined);
    for (const pair of this.pairs) {
      pair.udp?.stopAccepting();
      pair.tcp?.stopAccepting();
    }
    // Deadlines bound this wait: every query is answered by its timeout at the latest.
    await this.processor.inFlight.whenEmpty();
    await new Promise((resolve) => setImmediate(resolve)); // let the last answers reach the sockets
    await closePairs(this.pairs);
    await this.plugins.stop();
  }

  addresses(): readonly ListenAddress[] {
    return this.pairs.flatMap((pair) => pair.addresses);
  }

  ready(): boolean {
    return this.plugins.ready();
  }

  async exchange(query: DnsMessage | Uint8Array, options: ExchangeOptions = {}): Promise<DnsMessage> {
    if (this.state === 'closed') throw new Error('server is closed');
    const bytes = query instanceof Uint8Array ? query : encodeMessage(query, { maxSize: 65535 });
    const router = this.exchangeRouter(options.port);
    await this.plugins.start();
    const peer = exchangePeer(options.peer);
    return new Promise((resolve, reject) => {
      const sink: ResponseSink = {
        send: (response) => {
          try {
            resolve(decodeMessage(response));
          } catch (error) {
            reject(error);
          }
        },
        drop: (reason) => reject(new Error(`query dropped without a response (${reason})`)),
      };
      this.processor.handle(bytes, peer, this.exchangeLocal(), router, sink);
    });
  }

  private async open(): Promise<void> {
    await this.plugins.start();
    const processor = this.processor;
    const requests: BindRequest[] = planListeners(this.blocks).map(({ address, port, optional, router }) => ({
      address,
      port,
      optional,
      handler: (bytes, peer, local, sink) => processor.handle(bytes, peer, local, router, sink),
    }));
    try {
      this.pairs = await openListeners(requests, {
        transports: this.transports,
        tcp: this.tcpLimits,
        report: (error) => processor.reportError(error),
        warn: (message) => this.logger.warn(message),
      });
    } catch (error) {
      await this.plugins.stop();
      throw error;
    }
    this.state = 'listening';
    if (this.events.listenerCount('listening') === 0) return;
    for (const address of this.addresses()) this.events.emit('listening', address);
  }

  private exchangeRouter(port: number | undefined): ZoneRouter<ServerBlock> {
    const wanted = port ?? (this.blocks[0] as ServerBlock).port;
    const router = this.routers.get(wanted) ?? this.routerOnActualPort(wanted);
    if (router === undefined) throw new Error(`exchange: no server block on port ${wanted}`);
    return router;
  }

  /** After listen() on port 0, the real port also names the blocks configured with 0. */
  private routerOnActualPort(port: number): ZoneRouter<ServerBlock> | undefined {
    return this.addresses().some((a) => a.port === port) ? this.routers.get(0) : undefined;
  }

  private exchangeLocal(): LocalAddress {
    const first = this.addresses()[0];
    return first === undefined ? placeholderLocal : { address: first.address, port: first.port };
  }
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
