import type { ResolvConf } from '../../plugin-kit/resolv-conf.js';
import type { DnsMessage } from '../../wire/types.js';
import { countDots, fqdn, type Inbox, type Session } from './session.js';
import type { AddressType, QueryOutcome, ResolveFailure } from './types.js';

/*
 * musl's getaddrinfo (src/network/lookup_name.c name_from_dns_search and name_from_dns,
 * src/network/res_msend.c __res_msend_rc, src/network/resolvconf.c). The rules are written down
 * in docs/testing.md, "How the emulated resolvers search".
 */

/** Limits musl applies to resolv.conf options. */
const MAX_NDOTS = 15;
const MAX_TIMEOUT = 60;
const MAX_ATTEMPTS = 10;

/** name_from_dns's verdict: replies with addresses, 0 (NXDOMAIN: try the next name) or an error. */
type DnsVerdict =
  | { readonly kind: 'found'; readonly replies: readonly (DnsMessage | undefined)[] }
  | { readonly kind: 'next' }
  | { readonly kind: 'error'; readonly failure: ResolveFailure };

/** One __res_msend_rc call's fixed parts. */
interface MsendRun {
  readonly start: number;
  readonly timeout: number;
  readonly interval: number;
  readonly replies: (DnsMessage | undefined)[];
  readonly send: (query: number, server: string) => void;
  readonly count: number;
}

export interface MuslResult {
  readonly ok: boolean;
  readonly failure?: ResolveFailure;
  readonly replies: readonly (DnsMessage | undefined)[];
  /** The query types in the order of `replies`. */
  readonly types: readonly AddressType[];
}

export class MuslResolver {
  constructor(
    private readonly conf: ResolvConf,
    private readonly session: Session,
  ) {}

  /**
   * name_from_dns_search: the search list only when the name has fewer dots than ndots and no
   * trailing dot, then the name as-is. Only NXDOMAIN moves on to the next name.
   */
  async search(name: string, types: readonly AddressType[]): Promise<MuslResult> {
    const ndots = Math.min(this.conf.options.ndots, MAX_NDOTS);
    const useSearch = countDots(name) < ndots && !name.endsWith('.');
    const base = name.endsWith('.') ? name.slice(0, -1) : name;
    if (base === '' || base.endsWith('.'))
      return { ok: false, failure: 'HOST_NOT_FOUND', replies: [], types };
    const candidates = useSearch ? this.conf.search.map((domain) => `${base}.${domain}`) : [];
    candidates.push(base);
    for (const candidate of candidates) {
      const verdict = await this.nameFromDns(fqdn(candidate), types);
      if (verdict.kind === 'found') return { ok: true, replies: verdict.replies, types };
      if (verdict.kind === 'error') return { ok: false, failure: verdict.failure, replies: [], types };
    }
    // The last name's NXDOMAIN: getaddrinfo's EAI_NONAME.
    return { ok: false, failure: 'HOST_NOT_FOUND', replies: [], types };
  }

  /** name_from_dns: A and AAAA together; every reply must be in before anything counts. */
  private async nameFromDns(name: string, types: readonly AddressType[]): Promise<DnsVerdict> {
    const replies = await this.msend(name, types);
    for (const reply of replies) {
      // No accepted reply within the timeout: EAI_AGAIN, which ends the search.
      if (reply === undefined || reply.rcode === 'SERVFAIL') return this.fail(name, reply, 'TRY_AGAIN');
      if (reply.rcode === 'NXDOMAIN') {
        this.session.settle(name, 'NXDOMAIN', [reply]);
        return { kind: 'next' };
      }
      if (reply.rcode !== 'NOERROR') return this.fail(name, reply, 'NO_RECOVERY');
    }
    const found = replies.some((reply) =>
      reply?.answers.some((record) => types.includes(record.type as AddressType)),
    );
    this.session.settle(name, 'NOERROR', replies);
    // NOERROR without an address is EAI_NODATA: it ends the search too.
    return found ? { kind: 'found', replies } : { kind: 'error', failure: 'NO_DATA' };
  }

  private fail(name: string, reply: DnsMessage | undefined, failure: ResolveFailure): DnsVerdict {
    const rcode: QueryOutcome = reply?.rcode ?? 'TIMEOUT';
    this.session.settle(name, rcode, reply === undefined ? [] : [reply]);
    return { kind: 'error', failure };
  }

  /**
   * __res_msend_rc: every query to every nameserver at once, again every `timeout / attempts`
   * until `timeout` has passed. Only NOERROR and NXDOMAIN replies are accepted; a SERVFAIL is
   * re-sent at once to the same server (at most twice per query per round); anything else
   * (REFUSED...) is ignored, as if nothing had come back.
   */
  private async msend(name: string, types: readonly AddressType[]): Promise<(DnsMessage | undefined)[]> {
    const clock = this.session.clock;
    const timeout = Math.min(this.conf.options.timeout, MAX_TIMEOUT) * 1000;
    const attempts = Math.max(1, Math.min(this.conf.options.attempts, MAX_ATTEMPTS));
    const interval = timeout / attempts;
    const inbox = this.session.inbox<{ query: number; server: string }>();
    const replies: (DnsMessage | undefined)[] = types.map(() => undefined);
    const send = (query: number, server: string): void =>
      inbox.add({ query, server }, this.session.send(name, types[query] as AddressType, server));
    const start = clock.now();
    try {
      await this.rounds(inbox, { start, timeout, interval, replies, send, count: types.length });
    } finally {
      inbox.close();
    }
    return replies;
  }

  private async rounds(inbox: Inbox<{ query: number; server: string }>, run: MsendRun): Promise<void> {
    const { start, timeout, interval, replies, send } = run;
    const clock = this.session.clock;
    const servers = this.conf.nameservers;
    while (clock.now() - start < timeout && replies.some((reply) => reply === undefined)) {
      replies.forEach((reply, query) => {
        if (reply === undefined) for (const server of servers) send(query, server);
      });
      let servfailRetries = 2 * run.count;
      const roundEnd = Math.min(clock.now() + interval, start + timeout);
      while (replies.some((reply) => reply === undefined)) {
        const arrival = await inbox.next(roundEnd);
        if (arrival === undefined) break;
        const { query, server } = arrival.key;
        if (replies[query] !== undefined) continue;
        const rcode = arrival.response.rcode;
        if (rcode === 'NOERROR' || rcode === 'NXDOMAIN') replies[query] = arrival.response;
        else if (rcode === 'SERVFAIL' && servfailRetries-- > 0) send(query, server);
      }
    }
  }
}
