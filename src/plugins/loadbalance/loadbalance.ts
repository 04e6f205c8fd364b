import { afterNext } from '../../core/after-next.js';
import type { DnsContext, Next, Plugin } from '../../core/types.js';
import type { DnsMessage, ResourceRecord } from '../../wire/types.js';

/** Where {@link loadbalance} takes its random numbers; `Math.random` by default (tests inject one). */
export type RandomSource = () => number;

/** Options of {@link loadbalance}. */
export interface LoadbalanceOptions {
  /** Only `round_robin` (CoreDNS's default policy) is implemented. */
  readonly policy?: 'round_robin';
  readonly random?: RandomSource;
}

/** Swaps records in place, as CoreDNS's roundRobinShuffle does for 2 or more records. */
function shuffle(records: ResourceRecord[], random: RandomSource): void {
  const n = records.length;
  if (n < 2) return;
  if (n === 2) {
    if (random() < 0.5) records.reverse();
    return;
  }
  for (let j = 0; j < n; j++) {
    const p = j + Math.floor(random() * (n - j));
    if (p === j) continue;
    const swap = records[j] as ResourceRecord;
    records[j] = records[p] as ResourceRecord;
    records[p] = swap;
  }
}

/**
 * One section reordered as CoreDNS does: CNAMEs first (a resolver follows them in order), then
 * the other records, then the shuffled A/AAAA records, then the shuffled MX records.
 * Returns the same array when the order did not change.
 */
export function shuffleSection(
  records: readonly ResourceRecord[],
  random: RandomSource,
): readonly ResourceRecord[] {
  if (records.length < 2) return records;
  const cname: ResourceRecord[] = [];
  const address: ResourceRecord[] = [];
  const mx: ResourceRecord[] = [];
  const rest: ResourceRecord[] = [];
  for (const record of records) {
    if (record.type === 'CNAME') cname.push(record);
    else if (record.type === 'A' || record.type === 'AAAA') address.push(record);
    else if (record.type === 'MX') mx.push(record);
    else rest.push(record);
  }
  shuffle(address, random);
  shuffle(mx, random);
  const out = [...cname, ...rest, ...address, ...mx];
  return out.every((record, i) => record === records[i]) ? records : out;
}

/** A shuffled copy of a NOERROR response (not a zone transfer); other responses are returned as is. */
export function shuffleResponse(response: DnsMessage, random: RandomSource = Math.random): DnsMessage {
  if (response.rcode !== 'NOERROR') return response;
  const type = response.questions[0]?.type;
  if (type === 'AXFR' || type === 'IXFR') return response;
  const answers = shuffleSection(response.answers, random);
  const authorities = shuffleSection(response.authorities, random);
  const additionals = shuffleSection(response.additionals, random);
  if (
    answers === response.answers &&
    authorities === response.authorities &&
    additionals === response.additionals
  )
    return response;
  return { ...response, answers, authorities, additionals };
}

/**
 * The `loadbalance` plugin (policy `round_robin`): after the rest of the chain answered, shuffles
 * the A, AAAA and MX records of each section of the response, as CoreDNS does, so that clients
 * taking the first address spread over all of them. The response is replaced by a shuffled copy:
 * the message another plugin wrote (perhaps cached) is never changed.
 */
export function loadbalance(options: LoadbalanceOptions = {}): Plugin {
  const random = options.random ?? Math.random;
  return {
    name: 'loadbalance',
    handle: (ctx: DnsContext, next: Next) =>
      afterNext(next, () => {
        const response = ctx.response;
        if (response !== undefined) ctx.response = shuffleResponse(response, random);
      }),
  };
}
