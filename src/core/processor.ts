import type { EventEmitter } from 'eventemitter3';
import { encodeMessageShared } from '../wire/encode.js';
import { decodeMessage, maxUdpPayload, normalizeName, readHeader } from '../wire/index.js';
import type { DnsMessage, Question } from '../wire/types.js';
import { chainDoneSync } from './compose.js';
import { type LocalAddress, QueryContext } from './context.js';
import { InFlightList } from './in-flight.js';
import { buildReply, fitResponse, formerrFromHeader, questionlessReply } from './response.js';
import type { ResponseSink } from './sink.js';
import { encodeStream } from './stream.js';
import type { Logger, Middleware, Next, Peer, ServerEvents } from './types.js';
import type { ZoneRouter } from './zones.js';

/** What a query is routed to: one server block's composed chain. */
export interface ChainTarget {
  readonly chain: Middleware;
}

const maxTcpMessage = 65535;
const resolved: Promise<void> = Promise.resolve();
const endOfChain: Next = () => resolved;

/**
 * Turns one received packet into one response (or a drop), the same way for UDP, TCP and
 * `exchange`: header checks, routing, the middleware chain, deadlines and encoding.
 */
export class QueryProcessor {
  readonly inFlight: InFlightList;

  constructor(
    private readonly events: EventEmitter<ServerEvents>,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {
    this.inFlight = new InFlightList((ctx) => this.expire(ctx));
  }

  /** Processes one packet; the sink gets exactly one `send` or `drop`. Never throws. */
  handle(
    bytes: Uint8Array,
    peer: Peer,
    local: LocalAddress,
    router: ZoneRouter<ChainTarget>,
    sink: ResponseSink,
  ): void {
    try {
      this.process(bytes, peer, local, router, sink);
    } catch (error) {
      // Only a bug gets here, before any answer went out: report it and keep serving.
      this.reportError(error);
      sink.drop('unreadable');
    }
  }

  private process(
    bytes: Uint8Array,
    peer: Peer,
    local: LocalAddress,
    router: ZoneRouter<ChainTarget>,
    sink: ResponseSink,
  ): void {
    const request = this.admit(bytes, peer, sink);
    if (request === undefined) return;
    const question = request.questions[0] as Question;
    const name = lowerName(question.name);
    const route = router.route(name, question.type);
    if (route === undefined) {
      this.sendDirect(request, buildReply(request, { rcode: 'REFUSED' }), peer, sink);
      return;
    }
    const normalQuestion =
      name === question.name ? question : { name, type: question.type, class: question.class };
    const now = performance.now();
    const ctx = new QueryContext(
      request,
      normalQuestion,
      question.name,
      route.zone,
      peer,
      local,
      now,
      this.timeoutMs,
      bytes.length,
    );
    ctx.sink = sink;
    if (this.events.listenerCount('query') !== 0) this.emitSafely('query', ctx);
    this.run(ctx, route.target.chain);
  }

  /**
   * Applies the header rules that need no plugin. Returns the request when it may be routed;
   * otherwise the sink already got its drop or error response.
   */
  private admit(bytes: Uint8Array, peer: Peer, sink: ResponseSink): DnsMessage | undefined {
    // Too short for a header, or a response (QR set): never answer, or two servers could loop.
    if (bytes.length < 12) {
      sink.drop('short');
      return undefined;
    }
    if (((bytes[2] as number) & 0x80) !== 0) {
      sink.drop('response');
      return undefined;
    }
    let request: DnsMessage;
    try {
      request = decodeMessage(bytes);
    } catch (error) {
      this.undecodable(bytes, error, peer, sink);
      return undefined;
    }
    const early = earlyResponse(request);
    if (early === undefined) return request;
    this.sendDirect(request, early, peer, sink);
    return undefined;
  }

  /** Reports an error: to `error` listeners, else to the logger (never for hostile packets). */
  reportError(error: unknown, ctx?: QueryContext): void {
    const err = error instanceof Error ? error : new Error(String(error));
    if (this.events.listenerCount('error') !== 0) {
      try {
        this.events.emit('error', err, ctx);
      } catch (listenerError) {
        this.logger.error(`error listener threw: ${String(listenerError)}`);
      }
    } else if (err.name !== 'DecodeError') {
      this.logger.error(
        ctx === undefined ? err.message : `${ctx.rawName} ${ctx.question.type}: ${err.message}`,
      );
    }
  }

  private run(ctx: QueryContext, chain: Middleware): void {
    let result: Promise<void> | void;
    try {
      result = chain(ctx, endOfChain);
    } catch (error) {
      this.crashed(ctx, error);
      result = undefined;
    }
    // Most answers (static data, cache hits) come synchronously: no deadline or microtask needed.
    if (result === chainDoneSync || !(result instanceof Promise)) {
      this.finish(ctx);
      return;
    }
    this.inFlight.add(ctx);
    void this.settle(ctx, result);
  }

  private async settle(ctx: QueryContext, pending: Promise<void>): Promise<void> {
    try {
      await pending;
    } catch (error) {
      this.crashed(ctx, error);
    }
    this.finish(ctx);
  }

  private crashed(ctx: QueryContext, error: unknown): void {
    if (!ctx.finished) {
      ctx.failure = error;
      ctx.response = undefined;
    }
    this.reportError(error, ctx);
  }

  private expire(ctx: QueryContext): void {
    const reason = new Error(`query timed out after ${this.timeoutMs} ms`);
    ctx.failure = reason;
    ctx.response = undefined;
    ctx.abort(reason);
    this.finish(ctx);
  }

  private finish(ctx: QueryContext): void {
    if (ctx.finished) return;
    ctx.finished = true;
    this.inFlight.remove(ctx);
    const request = ctx.request;
    // A streamed answer (AXFR) goes out whole, unless a later plugin replaced its first message.
    if (ctx.stream !== undefined && ctx.stream[0] === ctx.response && this.finishStream(ctx, ctx.stream))
      return;
    // Nobody answered, a plugin threw, or the deadline passed: SERVFAIL.
    const written = ctx.response ?? buildReply(request, { rcode: 'SERVFAIL' });
    let response = fitResponse(request, written);
    let bytes = this.encode(ctx, response);
    if (bytes === undefined) {
      response = buildReply(request, { rcode: 'SERVFAIL' });
      bytes = this.encode(ctx, response);
    }
    const sink = ctx.sink;
    if (sink === undefined) return;
    if (bytes === undefined) {
      sink.drop('unreadable');
      return;
    }
    sink.send(bytes, ctx.peer);
    const failure = ctx.notifySent(bytes.length, response);
    if (failure !== undefined) this.reportError(failure, ctx);
    if (this.events.listenerCount('response') !== 0) {
      this.emitSafely('response', ctx, response, performance.now() - ctx.startedAt);
    }
  }

  /** Sends every message of a stream; false (nothing sent) when one cannot be encoded. */
  private finishStream(ctx: QueryContext, messages: readonly DnsMessage[]): boolean {
    const sink = ctx.sink;
    if (sink?.sendAll === undefined) return false;
    let encoded: Uint8Array[];
    try {
      encoded = encodeStream(ctx.request, messages);
    } catch (error) {
      ctx.failure ??= error;
      ctx.response = undefined;
      this.reportError(error, ctx);
      return false;
    }
    sink.sendAll(encoded, ctx.peer);
    const first = messages[0] as DnsMessage;
    let total = 0;
    for (const bytes of encoded) total += bytes.length;
    const failure = ctx.notifySent(total, first);
    if (failure !== undefined) this.reportError(failure, ctx);
    if (this.events.listenerCount('response') !== 0) {
      this.emitSafely('response', ctx, first, performance.now() - ctx.startedAt);
    }
    return true;
  }

  private encode(ctx: QueryContext, response: DnsMessage): Uint8Array | undefined {
    try {
      // The bytes go straight to the transport, so a view into a shared block will do.
      return encodeMessageShared(response, { maxSize: sizeLimit(ctx.request, ctx.peer) });
    } catch (error) {
      ctx.failure ??= error;
      this.reportError(error, ctx);
      return undefined;
    }
  }

  private undecodable(bytes: Uint8Array, error: unknown, peer: Peer, sink: ResponseSink): void {
    const header = readHeader(bytes);
    if (this.events.listenerCount('error') !== 0) this.reportError(error);
    if (header === undefined) sink.drop('unreadable');
    else this.sendDirect(undefined, formerrFromHeader(header), peer, sink);
  }

  /** Sends a response made before any plugin ran (FORMERR, NOTIMP, BADVERS, REFUSED). */
  private sendDirect(
    request: DnsMessage | undefined,
    response: DnsMessage,
    peer: Peer,
    sink: ResponseSink,
  ): void {
    let bytes: Uint8Array;
    try {
      bytes = encodeMessageShared(response, {
        maxSize: request === undefined ? 512 : sizeLimit(request, peer),
      });
    } catch (error) {
      this.reportError(error);
      sink.drop('unreadable');
      return;
    }
    sink.send(bytes, peer);
  }

  private emitSafely<E extends 'query' | 'response'>(event: E, ...args: Parameters<ServerEvents[E]>): void {
    try {
      (this.events.emit as (event: E, ...args: Parameters<ServerEvents[E]>) => boolean)(event, ...args);
    } catch (error) {
      this.reportError(error);
    }
  }
}

/**
 * The question name in lowercase. Decoded names are valid and escape every non-printable byte, so
 * a name without escapes only needs ASCII lowercasing (RFC 4343); others take the full path.
 */
function lowerName(name: string): string {
  let upper = false;
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch === 0x5c /* \ */ || ch > 0x7e) return normalizeName(name);
    if (ch >= 0x41 && ch <= 0x5a) upper = true;
  }
  return upper ? name.toLowerCase() : name;
}

function sizeLimit(request: DnsMessage, peer: Peer): number {
  return peer.transport === 'udp' ? maxUdpPayload(request) : maxTcpMessage;
}

/** The header rules checked before routing, in order; undefined when the query may proceed. */
function earlyResponse(request: DnsMessage): DnsMessage | undefined {
  if (request.opcode !== 'QUERY') return buildReply(request, { rcode: 'NOTIMP' });
  if (request.questions.length !== 1) return questionlessReply(request, 'FORMERR');
  // RFC 6891 6.1.3: BADVERS; buildReply adds the OPT of the highest version we support (0).
  if (request.edns !== undefined && request.edns.version > 0)
    return buildReply(request, { rcode: 'BADVERS' });
  return undefined;
}
