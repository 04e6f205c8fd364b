import type { ResolvConf } from '../../plugin-kit/resolv-conf.js';
import type { DnsMessage, Rcode } from '../../wire/types.js';
import { countDots, fqdn, type Inbox, type Session } from './session.js';
import type { AddressType, QueryOutcome, ResolveFailure } from './types.js';

/*
 * glibc's stub resolver as getaddrinfo drives it (resolv/res_query.c __res_context_search and
 * __res_context_query, resolv/res_send.c __res_context_send and send_dg). The rules are written
 * down in docs/testing.md, "How the emulated resolvers search".
 */

/** Limits glibc applies to resolv.conf options (RES_MAXNDOTS, RES_MAXRETRANS, RES_MAXRETRY). */
const MAX_NDOTS = 15;
const MAX_TIMEOUT = 30;
const MAX_ATTEMPTS = 5;

/** State that outlives one lookup, as `_res` does in a process. */
export interface GlibcState {
  /** RES_ROTATE's shared counter (glibc starts it at a random value; we start at 0). */
  rotation: number;
  /** send_dg switches to single-request for good after a timeout with one answer in hand. */
  singleRequest: boolean;
  singleRequestReopen: boolean;
}

/** A fresh process's resolver state. */
export function glibcState(conf: ResolvConf): GlibcState {
  return {
    rotation: 0,
    singleRequest: conf.options.singleRequest || conf.options.singleRequestReopen,
    singleRequestReopen: conf.options.singleRequestReopen,
  };
}

/** What __res_context_query concluded for one name. */
interface QueryResult {
  readonly ok: boolean;
  readonly failure?: ResolveFailure;
  /** The rcode in the answer buffer: what the search loop looks at for TRY_AGAIN. */
  readonly rcode: QueryOutcome;
  readonly replies: readonly (DnsMessage | undefined)[];
}

/** How the search-list loop ended. */
interface SearchWalk {
  result?: QueryResult;
  last?: QueryResult;
  searched: boolean;
  rootOnList: boolean;
  gotNodata: boolean;
  gotServfail: boolean;
}

/** What send_dg concluded for one nameserver. */
interface SendResult {
  readonly ok: boolean;
  readonly replies: (DnsMessage | undefined)[];
  readonly last?: DnsMessage;
}

const REJECTED: ReadonlySet<Rcode> = new Set(['SERVFAIL', 'NOTIMP', 'REFUSED']);

/** send_dg: a NOERROR reply with nothing in it and neither AA nor RA is a referral: next server. */
function isReferral(reply: DnsMessage): boolean {
  return (
    reply.rcode === 'NOERROR' &&
    reply.answers.length === 0 &&
    !reply.flags.aa &&
    !reply.flags.ra &&
    reply.additionals.length === 0 &&
    reply.edns === undefined
  );
}

export class GlibcResolver {
  constructor(
    private readonly conf: ResolvConf,
    private readonly state: GlibcState,
    private readonly session: Session,
  ) {}

  private get ndots(): number {
    return Math.min(this.conf.options.ndots, MAX_NDOTS);
  }

  /** __res_context_search: returns the replies that answered, or the h_errno it gave up with. */
  async search(name: string, types: readonly AddressType[]): Promise<QueryResult> {
    const dots = countDots(name);
    const trailingDot = name.endsWith('.');
    let saved: ResolveFailure | undefined;
    let triedAsIs = false;
    if (dots >= this.ndots || trailingDot) {
      const result = await this.query(fqdn(name), types);
      if (result.ok || trailingDot) return result;
      saved = result.failure;
      triedAsIs = true;
    }
    const walk = await this.walkSearchList(name, types);
    if (walk.result !== undefined) return walk.result;
    let last = walk.last;
    const asIsAllowed = dots > 0 || !walk.searched || !this.conf.options.noTldQuery;
    if (asIsAllowed && !(triedAsIs || walk.rootOnList)) {
      const result = await this.query(fqdn(name), types);
      if (result.ok) return result;
      last = result;
    }
    // The first as-is query's error wins, then NO_DATA, then SERVFAIL, then the last error.
    const failure =
      saved ??
      (walk.gotNodata ? 'NO_DATA' : walk.gotServfail ? 'TRY_AGAIN' : (last?.failure ?? 'HOST_NOT_FOUND'));
    return { ok: false, failure, rcode: last?.rcode ?? 'NOERROR', replies: [] };
  }

  /**
   * The search-list loop: NXDOMAIN and NODATA go on (NODATA is remembered: a wildcard of
   * another type must not hide the name higher up), SERVFAIL goes on, anything else stops.
   */
  private async walkSearchList(name: string, types: readonly AddressType[]): Promise<SearchWalk> {
    const walk: SearchWalk = { searched: false, rootOnList: false, gotNodata: false, gotServfail: false };
    // RES_DEFNAMES and RES_DNSRCH are on by default: search unless the name ends in a dot.
    if (name.endsWith('.')) return walk;
    for (const domain of this.conf.search) {
      walk.searched = true;
      const suffix = domain === '.' ? '' : domain.replace(/^\./, '');
      if (suffix === '') walk.rootOnList = true;
      const result = await this.query(fqdn(suffix === '' ? name : `${name}.${suffix}`), types);
      if (result.ok) return { ...walk, result };
      walk.last = result;
      if (result.failure === 'NO_DATA') walk.gotNodata = true;
      else if (result.failure === 'TRY_AGAIN' && result.rcode === 'SERVFAIL') walk.gotServfail = true;
      else if (result.failure !== 'HOST_NOT_FOUND') break;
    }
    return walk;
  }

  /** __res_context_query: send, then classify the pair of replies. */
  private async query(name: string, types: readonly AddressType[]): Promise<QueryResult> {
    const sent = await this.send(name, types);
    if (!sent.ok) {
      const rcode = sent.last?.rcode ?? 'TIMEOUT';
      this.session.settle(name, rcode, sent.last === undefined ? [] : [sent.last]);
      // The answer buffer keeps the last rejected reply; a timeout leaves its NOERROR default.
      return { ok: false, failure: 'TRY_AGAIN', rcode: sent.last?.rcode ?? 'NOERROR', replies: [] };
    }
    const result = classify(sent.replies);
    this.session.settle(name, result.rcode, sent.replies);
    return result;
  }

  /** __res_context_send: `attempts` rounds over the nameservers, starting where RES_ROTATE says. */
  private async send(name: string, types: readonly AddressType[]): Promise<SendResult> {
    const servers = this.conf.nameservers;
    const count = servers.length;
    const offset = this.conf.options.rotate && count > 1 ? this.state.rotation++ % count : 0;
    const attempts = Math.max(1, Math.min(this.conf.options.attempts, MAX_ATTEMPTS));
    let last: DnsMessage | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      for (let shift = 0; shift < count; shift++) {
        const index = (shift + offset) % count;
        const result = await this.sendDg(name, types, servers[index] as string, this.seconds(index));
        if (result.ok) return result;
        last = result.last ?? last;
      }
    }
    return last === undefined ? { ok: false, replies: [] } : { ok: false, replies: [], last };
  }

  /** send_dg's wait: `timeout << ns`, divided by the server count after the first server. */
  private seconds(index: number): number {
    const retrans = Math.min(this.conf.options.timeout, MAX_TIMEOUT);
    let seconds = retrans << index;
    if (index > 0) seconds = Math.floor(seconds / this.conf.nameservers.length);
    return Math.max(1, seconds);
  }

  /** send_dg, restarted in single-request mode when a timeout leaves one reply in hand. */
  private async sendDg(name: string, types: readonly AddressType[], server: string, seconds: number) {
    for (;;) {
      const inbox = this.session.inbox<number>();
      const outcome = await this.exchangePair(inbox, name, types, server, seconds).finally(() =>
        inbox.close(),
      );
      if (outcome !== 'retry-single') return outcome;
      if (!this.state.singleRequest) this.state.singleRequest = true;
      else this.state.singleRequestReopen = true;
    }
  }

  /** One send_dg pass: both queries (or one after the other), replies until both are in or time is up. */
  private async exchangePair(
    inbox: Inbox<number>,
    name: string,
    types: readonly AddressType[],
    server: string,
    seconds: number,
  ): Promise<SendResult | 'retry-single'> {
    const single = this.state.singleRequest;
    const deadline = this.session.clock.now() + seconds * 1000;
    const pair = new PairState(types.length);
    const sendNext = (): void => {
      inbox.add(pair.sent, this.session.send(name, types[pair.sent] as AddressType, server));
      pair.sent++;
    };
    sendNext();
    if (!single) while (pair.sent < types.length) sendNext();
    while (pair.waiting()) {
      const arrival = await inbox.next(deadline);
      if (arrival === undefined) return pair.timedOut(this.state.singleRequestReopen);
      const { key, response } = arrival;
      if (pair.received[key] !== undefined) continue;
      if (REJECTED.has(response.rcode)) {
        // In single-request mode the second query goes out only after a usable first reply.
        pair.reject(key, response);
        continue;
      }
      if (isReferral(response)) return { ok: false, replies: [], last: response };
      pair.received[key] = response;
      if (single && pair.sent < types.length) sendNext();
    }
    return pair.result();
  }
}

/** The replies of one send_dg pass. */
class PairState {
  readonly received: (DnsMessage | 'rejected' | undefined)[];
  sent = 0;
  last: DnsMessage | undefined;

  constructor(count: number) {
    this.received = Array.from({ length: count }, () => undefined);
  }

  waiting(): boolean {
    return this.received.some((reply) => reply === undefined);
  }

  reject(key: number, reply: DnsMessage): void {
    this.last = reply;
    this.received[key] = 'rejected';
  }

  goods(): (DnsMessage | undefined)[] {
    return this.received.map((reply) => (reply === 'rejected' ? undefined : reply));
  }

  failed(): SendResult {
    return this.last === undefined ? { ok: false, replies: [] } : { ok: false, replies: [], last: this.last };
  }

  /** Both in: usable when one of them is. */
  result(): SendResult {
    const replies = this.goods();
    return replies.some((reply) => reply !== undefined) ? { ok: true, replies } : this.failed();
  }

  /** Time is up: with one usable reply, retry in single-request mode (twice), then keep it. */
  timedOut(reopened: boolean): SendResult | 'retry-single' {
    if (!this.goods().some((reply) => reply !== undefined)) return this.failed();
    return reopened ? { ok: true, replies: this.goods() } : 'retry-single';
  }
}

/** __res_context_query's verdict on the replies of one name (both for A+AAAA). */
function classify(replies: readonly (DnsMessage | undefined)[]): QueryResult {
  const present = replies.filter((reply): reply is DnsMessage => reply !== undefined);
  const hp = present[0] as DnsMessage;
  const hp2 = present[1] ?? hp;
  const answered = (reply: DnsMessage): boolean => reply.rcode === 'NOERROR' && reply.answers.length > 0;
  if (answered(hp) || answered(hp2)) return { ok: true, rcode: 'NOERROR', replies };
  const rcode = hp.rcode === 'NOERROR' ? hp2.rcode : hp.rcode;
  const failure: ResolveFailure =
    rcode === 'NXDOMAIN'
      ? 'HOST_NOT_FOUND'
      : rcode === 'SERVFAIL'
        ? 'TRY_AGAIN'
        : rcode === 'NOERROR'
          ? 'NO_DATA'
          : 'NO_RECOVERY';
  return { ok: false, failure, rcode, replies };
}
