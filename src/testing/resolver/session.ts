import { makeQuery, type QueryInit } from '../../wire/index.js';
import type { DnsMessage, ResourceRecord } from '../../wire/types.js';
import type {
  AddressType,
  QueryOutcome,
  ResolverClock,
  ResolverExchange,
  SettledAnswer,
  TriedQuery,
} from './types.js';

type MutableTried = { -readonly [K in keyof TriedQuery]: TriedQuery[K] };

/** A response that arrived for the query sent under `key`. */
export interface Arrival<K> {
  readonly key: K;
  readonly response: DnsMessage;
}

/**
 * Responses as they arrive, to be waited for with a deadline: the shape of both libcs' poll
 * loops. Late responses to earlier sends still arrive here, as they would on the socket.
 */
export class Inbox<K> {
  private readonly queue: Arrival<K>[] = [];
  private wake: (() => void) | undefined;
  private readonly freezers: (() => void)[] = [];

  constructor(
    private readonly clock: ResolverClock,
    private readonly signal: AbortSignal,
  ) {}

  /** Tracks a sent query; see {@link Session.send}. */
  add(key: K, sent: SentQuery): void {
    this.freezers.push(sent.freeze);
    void sent.reply.then((response) => {
      if (response === undefined) return;
      this.queue.push({ key, response });
      this.wake?.();
    });
  }

  /** Stops listening: queries still unanswered stay timeouts in the record, whatever comes later. */
  close(): void {
    for (const freeze of this.freezers) freeze();
  }

  /** The next arrival, or undefined once the clock reaches `until` with nothing in. */
  async next(until: number): Promise<Arrival<K> | undefined> {
    if (this.queue.length > 0 || this.signal.aborted) return this.queue.shift();
    const remaining = until - this.clock.now();
    if (remaining <= 0) return undefined;
    const stop = new AbortController();
    const arrived = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    await Promise.race([arrived, this.clock.sleep(remaining, stop.signal)]);
    stop.abort();
    this.wake = undefined;
    return this.queue.shift();
  }
}

/** A query on its way: its reply (undefined when the transport failed), and a way to fix its record. */
export interface SentQuery {
  readonly reply: Promise<DnsMessage | undefined>;
  readonly freeze: () => void;
}

/** One `resolve` call: sends queries, records what was tried, remembers the answer settled on. */
export class Session {
  readonly tried: MutableTried[] = [];
  answer: SettledAnswer | undefined;
  private readonly controller = new AbortController();

  constructor(
    private readonly exchange: ResolverExchange,
    readonly clock: ResolverClock,
    private readonly queryInit: QueryInit,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  inbox<K>(): Inbox<K> {
    return new Inbox<K>(this.clock, this.controller.signal);
  }

  /** Sends one query and records it; its rcode is recorded when the reply comes, unless frozen first. */
  send(name: string, type: AddressType, nameserver: string): SentQuery {
    const entry: MutableTried = { name, type, nameserver, rcode: 'TIMEOUT' };
    this.tried.push(entry);
    let frozen = false;
    const query = makeQuery(name, type, this.queryInit);
    const reply = this.exchange(query, { nameserver, signal: this.controller.signal }).then(
      (response) => {
        if (!frozen) entry.rcode = response.rcode;
        return response;
      },
      () => undefined,
    );
    return {
      reply,
      freeze: () => {
        frozen = true;
      },
    };
  }

  settle(name: string, rcode: QueryOutcome, responses: readonly (DnsMessage | undefined)[]): void {
    const records: ResourceRecord[] = [];
    for (const response of responses) if (response !== undefined) records.push(...response.answers);
    this.answer = { name, rcode, records };
  }

  /** Ends the session: pending transports are told to give up. */
  close(): void {
    this.controller.abort(new Error('resolver finished'));
  }

  triedSnapshot(): TriedQuery[] {
    return this.tried.map((entry) => ({ ...entry }));
  }
}

/** Names are tried as written plus a final dot; a search domain is appended with a dot between. */
export function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/** Counts the dots of a name as both libcs do (a trailing dot counts). */
export function countDots(name: string): number {
  let dots = 0;
  for (const char of name) if (char === '.') dots++;
  return dots;
}

/** The A/AAAA records a response answers with, in order. */
export function addressRecords(response: DnsMessage | undefined, type: AddressType): string[] {
  if (response === undefined || response.rcode !== 'NOERROR') return [];
  return response.answers.filter((record) => record.type === type).map((record) => String(record.data));
}
