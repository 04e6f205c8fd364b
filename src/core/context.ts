import type { DnsMessage, Question, Rcode } from '../wire/types.js';
import { buildReply } from './response.js';
import type { ResponseSink } from './sink.js';
import type { DnsContext, DnsVars, EdnsInfo, Peer, ReplyInit } from './types.js';

/** Where a query arrived: the listener's address and port. */
export interface LocalAddress {
  readonly address: string;
  readonly port: number;
}

type SentCallback = (wireSize: number, response: DnsMessage) => void;

/**
 * The {@link DnsContext} of one query. Costly parts (`vars`, `signal`, `edns`, the onSent list)
 * are made on first use, since most queries never touch them.
 */
export class QueryContext implements DnsContext {
  response: DnsMessage | undefined = undefined;
  failure: unknown = undefined;
  /** When the query gets SERVFAIL if still unanswered (`performance.now()` clock). */
  readonly deadline: number;
  /** @internal Links in the server's in-flight list, ordered by deadline. */
  olderInFlight: QueryContext | undefined = undefined;
  /** @internal */
  newerInFlight: QueryContext | undefined = undefined;
  /** @internal True once a response (or a drop) has been handed to the transport. */
  finished = false;
  /** @internal Where the response goes. */
  sink: ResponseSink | undefined = undefined;
  private varsStore: Partial<DnsVars> | undefined = undefined;
  private controller: AbortController | undefined = undefined;
  private sentCallbacks: SentCallback[] | undefined = undefined;
  private ednsInfo: EdnsInfo | undefined | null = null;
  private abortReason: Error | undefined = undefined;
  /** @internal The messages of {@link QueryContext.replyStream}; the first is `response`. */
  stream: readonly DnsMessage[] | undefined = undefined;

  constructor(
    readonly request: DnsMessage,
    readonly question: Question,
    readonly rawName: string,
    readonly zone: string,
    readonly peer: Peer,
    readonly local: LocalAddress,
    readonly startedAt: number,
    timeoutMs: number,
    readonly requestSize: number,
  ) {
    this.deadline = startedAt + timeoutMs;
  }

  get edns(): EdnsInfo | undefined {
    if (this.ednsInfo === null) {
      const edns = this.request.edns;
      // RFC 6891 6.2.5: sizes under 512 are treated as 512.
      this.ednsInfo =
        edns === undefined ? undefined : { ...edns, maxUdpSize: Math.max(512, edns.udpPayloadSize) };
    }
    return this.ednsInfo;
  }

  get vars(): Partial<DnsVars> {
    if (this.varsStore === undefined) this.varsStore = {};
    return this.varsStore;
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.abortReason !== undefined) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  reply(init?: ReplyInit): void {
    this.response = buildReply(this.request, init);
  }

  get canStream(): boolean {
    return this.sink?.sendAll !== undefined;
  }

  replyStream(replies: readonly ReplyInit[]): void {
    if (!this.canStream)
      throw new Error(`${this.peer.transport} cannot carry several messages for one query`);
    const messages = replies.map((init) => buildReply(this.request, init));
    if (messages.length === 0) throw new Error('replyStream needs at least one message');
    this.response = messages[0];
    this.stream = messages;
  }

  fail(rcode: Rcode, reason?: string): void {
    this.response = buildReply(this.request, { rcode });
    if (reason !== undefined) this.failure = reason;
  }

  onSent(callback: SentCallback): void {
    if (this.sentCallbacks === undefined) this.sentCallbacks = [];
    this.sentCallbacks.push(callback);
  }

  /** @internal Aborts the signal (now, or when first asked for). */
  abort(reason: Error): void {
    this.abortReason ??= reason;
    this.controller?.abort(reason);
  }

  /** @internal Runs the onSent callbacks; returns the first error one threw, if any. */
  notifySent(wireSize: number, response: DnsMessage): unknown {
    const callbacks = this.sentCallbacks;
    if (callbacks === undefined) return undefined;
    let failure: unknown;
    for (const callback of callbacks) {
      try {
        callback(wireSize, response);
      } catch (error) {
        failure ??= error;
      }
    }
    return failure;
  }
}
