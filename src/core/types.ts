import type { Registry } from 'prom-client';
import type { DnsMessage, Edns, EdnsOption, Question, Rcode, ResourceRecord } from '../wire/types.js';
import type { ServerOptions } from './options.js';

/** Calls the rest of the chain. Calling it twice in one middleware throws. */
export type Next = () => Promise<void>;

/**
 * Per-query state shared between plugins. Plugins add their own keys by module augmentation:
 *
 * ```ts
 * declare module 'dnskit' { interface DnsVars { myPlugin: { hits: number } } }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by plugins
export interface DnsVars {}

/** The transport a query arrived on; `memory` is {@link DnsServer.exchange}. */
export type Transport = 'udp' | 'tcp' | 'memory';

/** The other end of a query. */
export interface Peer {
  readonly address: string;
  readonly port: number;
  readonly transport: Transport;
  /** `IPv4` or `IPv6`. */
  readonly family: 'IPv4' | 'IPv6';
}

/** The EDNS(0) facts of a request that plugins commonly need. */
export interface EdnsInfo extends Edns {
  /** The largest UDP response this client accepts (at least 512). */
  readonly maxUdpSize: number;
}

/** What a plugin passes to {@link DnsContext.reply}. Unset sections stay empty. */
export interface ReplyInit {
  readonly rcode?: Rcode;
  readonly answers?: readonly ResourceRecord[];
  readonly authorities?: readonly ResourceRecord[];
  readonly additionals?: readonly ResourceRecord[];
  /** Sets AA (RFC 1035 4.1.1); default false. */
  readonly authoritative?: boolean;
  /** Sets RA; plugins that recurse or forward set it (default false, as CoreDNS answers). */
  readonly recursionAvailable?: boolean;
  /** EDNS options to return (NSID, COOKIE...), added only when the request had EDNS. */
  readonly ednsOptions?: readonly EdnsOption[];
}

/** The state of one query as it travels through the middleware chain. */
export interface DnsContext {
  /** The decoded request, as received. */
  readonly request: DnsMessage;
  /** The first question, its name lowercased and fully qualified. */
  readonly question: Question;
  /** The question name as the client spelled it (case preserved, RFC 4343). */
  readonly rawName: string;
  /** The server block zone that routed this query (longest matching suffix). */
  readonly zone: string;
  readonly peer: Peer;
  /** The local address and port the query arrived on (for `memory`, the server's first listener or a placeholder). */
  readonly local: { readonly address: string; readonly port: number };
  readonly edns: EdnsInfo | undefined;
  /** Aborted when the query's deadline passes or the server is closing hard. */
  readonly signal: AbortSignal;
  readonly vars: Partial<DnsVars>;
  /** The response written so far; undefined until a plugin answers. */
  response: DnsMessage | undefined;
  /** Writes a response derived from the request: same ID, opcode and question, QR set, RD copied. */
  reply(init?: ReplyInit): void;
  /** Writes an empty response with this rcode. The reason is logged by the `errors` plugin. */
  fail(rcode: Rcode, reason?: string): void;
  /** Why the query failed, when a plugin said so or threw. */
  readonly failure: unknown;
  /** The request's size on the wire, in bytes (the `log` plugin's `{size}`). */
  readonly requestSize: number;
  /** Time the query entered the chain (`performance.now()`), for durations. */
  readonly startedAt: number;
  /**
   * Runs the callback after the response has been encoded and handed to the transport, with its
   * wire size (after any truncation). The `log` plugin uses this for `{rsize}` and `{duration}`.
   */
  onSent(callback: (wireSize: number, response: DnsMessage) => void): void;
  /**
   * Answers with several messages for this one query, as a zone transfer does (RFC 5936 2.2):
   * each entry becomes a response like {@link DnsContext.reply} writes (same ID and question),
   * encoded on its own (64 KiB at most) and sent in order. The first one becomes `ctx.response`;
   * a later plugin that replaces `ctx.response` replaces the whole stream with its message.
   * Only a connection can carry several messages: on UDP (`!ctx.canStream`) this throws.
   * `onSent` callbacks get the first message and the total wire size.
   */
  replyStream(replies: readonly ReplyInit[]): void;
  /** True when the transport can carry several messages for one query: TCP, and {@link DnsServer.exchangeAll}. */
  readonly canStream: boolean;
}

/** A chain step: answer, or `return next()` to pass the query on. */
export type Middleware = (ctx: DnsContext, next: Next) => Promise<void> | void;

/** Four methods, so that console, pino and friends all fit. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What a plugin gets when its server starts. */
export interface PluginEnv {
  readonly logger: Logger;
  /** The zones of the server block the plugin belongs to (normalised, fully qualified). */
  readonly zones: readonly string[];
  /**
   * Every plugin of the same server block, in chain order: how one plugin finds another it works
   * with (autopath asks `kubernetes` for a client's search path, as CoreDNS's `@kubernetes` does).
   */
  readonly chain: readonly Plugin[];
  /** The server's event bus, for plugins that observe queries. */
  readonly server: DnsServerHandle;
  /**
   * The server's own Prometheus registry (one per server: prom-client's default registry refuses
   * a metric registered twice, which two servers in one process would do). Plugins register their
   * metrics here; the `prometheus` plugin serves it.
   */
  readonly metrics: Registry;
  /**
   * Resolves with the addresses this plugin's server block listens on, once its sockets are open
   * (after `listen()`, or after the `reload()` that started this plugin). It never resolves for a
   * server used only through `exchange()`. The `loop` plugin probes its own address then, as
   * CoreDNS does from its startup hook.
   */
  readonly listening: Promise<readonly ListenAddress[]>;
}

/** Listener settings a plugin may adjust before the server starts (the `bind` plugin does). */
export interface BlockSettings {
  /** Addresses to listen on; empty means every address (0.0.0.0 and ::). */
  listen: string[];
  /** Listen addresses to skip (bind's `except`). */
  except: string[];
  /** The block's base directory for relative file names (the `root` plugin sets it; `file` and `auto` read it). */
  root?: string;
}

/** A plugin instance: a middleware plus an optional lifecycle. */
export interface Plugin {
  /** The directive name: used in errors, logs and metric labels. */
  readonly name: string;
  readonly handle: Middleware;
  /** Called once when the server is built, before it listens. */
  configure?(block: BlockSettings): void;
  start?(env: PluginEnv): Promise<void> | void;
  stop?(): Promise<void> | void;
  /**
   * Called when {@link DnsServer.close} begins, before the listeners stop accepting, so the server
   * still answers while it runs: the `health` plugin's lameduck waits here. Not called on reload.
   */
  shutdown?(): Promise<void> | void;
  /** For the readiness endpoint: false until the plugin can answer. */
  ready?(): boolean;
}

/** The minimal view of a server that plugins can observe. */
export interface DnsServerHandle {
  on<E extends keyof ServerEvents>(event: E, listener: ServerEvents[E]): unknown;
  off<E extends keyof ServerEvents>(event: E, listener: ServerEvents[E]): unknown;
}

/** An address a server is listening on. */
export interface ListenAddress {
  readonly address: string;
  readonly port: number;
  readonly transport: 'udp' | 'tcp';
}

/** Typed server events (eventemitter3). */
export interface ServerEvents {
  listening: (address: ListenAddress) => void;
  query: (ctx: DnsContext) => void;
  response: (ctx: DnsContext, response: DnsMessage, durationMs: number) => void;
  /** Errors that did not stop the server: socket errors, plugin throws, undecodable packets. */
  error: (error: Error, ctx?: DnsContext) => void;
}

/** How {@link DnsServer.exchange} pretends a query arrived. */
export interface ExchangeOptions {
  /** Default `{ address: '127.0.0.1', port: 53000, transport: 'memory' }`. */
  readonly peer?: Partial<Peer>;
  /** Which block's port to route on when blocks listen on several ports; default the first block's. */
  readonly port?: number;
}

/** A running (or not yet listening) DNS server made by `createServer`. */
export interface DnsServer extends DnsServerHandle {
  /** Starts every plugin, then opens the UDP and TCP listeners. */
  listen(): Promise<void>;
  /** Stops accepting, lets in-flight queries finish (up to the query timeout), stops the plugins. */
  close(): Promise<void>;
  /** Where the server listens, once {@link DnsServer.listen} resolved. */
  addresses(): readonly ListenAddress[];
  /**
   * Answers a query through the same chain as the sockets do, without any socket.
   * Accepts a message or its wire bytes; returns the decoded response exactly as a client would see it.
   * Plugins are started on first use when `listen()` was not called.
   */
  exchange(query: DnsMessage | Uint8Array, options?: ExchangeOptions): Promise<DnsMessage>;
  /**
   * Like {@link DnsServer.exchange}, but returns every message of the answer: more than one when a
   * plugin streamed it ({@link DnsContext.replyStream}, e.g. an AXFR). The peer defaults to `memory`.
   */
  exchangeAll(query: DnsMessage | Uint8Array, options?: ExchangeOptions): Promise<DnsMessage[]>;
  /** True when every plugin that reports readiness is ready. */
  ready(): boolean;
  /**
   * Switches the server to new blocks without dropping a query: builds and starts the new
   * plugins, swaps every listener's routing at once, keeps the listeners whose port and address
   * are unchanged, opens the new ones, lets queries already in the old chains finish, then closes
   * the listeners no longer wanted and stops the old plugins. Only the blocks (or the one-block
   * shorthand) of `options` are used; transports, TCP limits, timeout and logger stay. When the new
   * plugins fail to start or a new listener cannot open, it throws and the old configuration keeps
   * serving. Reloads run one at a time.
   */
  reload(options: ServerOptions): Promise<void>;
  /** This server's Prometheus registry: what plugins registered (see {@link PluginEnv.metrics}). */
  readonly metrics: Registry;
}
