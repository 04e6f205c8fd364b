/**
 * The record synthesizer: (store, question) -> answer, pure. Mirrors how CoreDNS's `kubernetes`
 * plugin turns entries into A, AAAA, SRV, PTR, TXT, CNAME, NS and SOA records, and when it says
 * NXDOMAIN rather than NODATA.
 */
import type { ResourceRecord } from '../../wire/types.js';
import { canonicalIp, isIPv4 } from '../ip.js';
import type { ClusterStore } from '../types.js';
import { type Entry, reverse, services } from './lookup.js';
import type { SynthOptions } from './options.js';
import { isWithin } from './request.js';

/** A synthesized answer: records (none is NODATA), or a name error. */
export type SynthResult =
  | {
      readonly rcode: 'NOERROR';
      readonly answers: readonly ResourceRecord[];
      readonly additionals: readonly ResourceRecord[];
    }
  | { readonly rcode: 'NXDOMAIN' };

/** The question as the synthesizer needs it. */
export interface SynthQuestion {
  /** Normalised (lowercase, fully qualified). */
  readonly name: string;
  readonly type: string;
  /** The name as the client spelled it: owner of the answers. */
  readonly rawName: string;
  /** The plugin zone that matched. */
  readonly zone: string;
}

interface Lookup {
  readonly store: ClusterStore;
  readonly options: SynthOptions;
  readonly zone: string;
}

const NXDOMAIN: SynthResult = Object.freeze({ rcode: 'NXDOMAIN' });
const NONE: readonly ResourceRecord[] = Object.freeze([]);

function ok(answers: readonly ResourceRecord[], additionals: readonly ResourceRecord[] = NONE): SynthResult {
  return { rcode: 'NOERROR', answers, additionals };
}

function address(owner: string, ip: string, ttl: number): ResourceRecord {
  return isIPv4(ip)
    ? { name: owner, type: 'A', class: 'IN', ttl, data: ip }
    : { name: owner, type: 'AAAA', class: 'IN', ttl, data: ip };
}

/** A or AAAA answers for `name`, following CNAMEs that stay inside the zone (at most 8, as CoreDNS). */
function addresses(
  lookup: Lookup,
  name: string,
  owner: string,
  type: 'A' | 'AAAA',
  chain: readonly ResourceRecord[],
): ResourceRecord[] | undefined {
  const entries = services(lookup.store, lookup.options, name, lookup.zone, type);
  if (entries === undefined) return undefined;
  const out: ResourceRecord[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (canonicalIp(entry.host) !== undefined) {
      if (isIPv4(entry.host) === (type === 'A') && !seen.has(entry.host))
        out.push(address(owner, entry.host, entry.ttl));
      seen.add(entry.host);
      continue;
    }
    if (entry.host === name || chain.length > 7) continue;
    if (chain.some((record) => record.type === 'CNAME' && record.data === entry.host)) continue;
    const cname: ResourceRecord = {
      name: owner,
      type: 'CNAME',
      class: 'IN',
      ttl: entry.ttl,
      data: entry.host,
    };
    if (!isWithin(entry.host, lookup.zone)) {
      // CoreDNS would resolve an outside target through itself; dnskit returns the CNAME and lets
      // the client's resolver follow it.
      out.push(cname);
      continue;
    }
    const next = addresses(lookup, entry.host, entry.host, type, [...chain, cname]);
    if (next !== undefined && next.length > 0) out.push(cname, ...next);
  }
  return out;
}

/** SRV answers with the targets' addresses in ADDITIONAL; weights share 100 as CoreDNS divides them. */
function srv(lookup: Lookup, question: SynthQuestion): SynthResult {
  const entries = services(lookup.store, lookup.options, question.name, lookup.zone, 'SRV');
  if (entries === undefined) return NXDOMAIN;
  const weight = Math.max(1, Math.floor(100 / Math.max(1, entries.length)));
  const answers: ResourceRecord[] = [];
  const additionals: ResourceRecord[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (entry.port === -1) continue;
    const target = entry.key;
    if (!seen.has(`${target} ${entry.port}`)) {
      answers.push({
        name: question.rawName,
        type: 'SRV',
        class: 'IN',
        ttl: entry.ttl,
        data: { priority: 0, weight, port: entry.port, target },
      });
    }
    seen.add(`${target} ${entry.port}`);
    if (!seen.has(`${target} @${entry.host}`)) additionals.push(address(target, entry.host, entry.ttl));
    seen.add(`${target} @${entry.host}`);
  }
  return ok(answers, additionals);
}

/** The zone's SOA: CoreDNS's fields, serial = last change of the store, TTL min(ttl, 300). */
export function soaRecord(store: ClusterStore, options: SynthOptions, zone: string): ResourceRecord {
  const prefix = zone === '.' ? '' : zone;
  return {
    name: zone,
    type: 'SOA',
    class: 'IN',
    ttl: Math.min(options.ttl, 300),
    data: {
      mname: `ns.dns.${prefix}`,
      rname: `hostmaster.${prefix}`,
      serial: store.modified >>> 0,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: options.ttl,
    },
  };
}

function ns(lookup: Lookup, question: SynthQuestion): SynthResult {
  const entries = services(lookup.store, lookup.options, question.name, lookup.zone, 'NS') ?? [];
  const answers: ResourceRecord[] = [];
  const additionals: ResourceRecord[] = [];
  for (const entry of entries) {
    additionals.push(address(entry.key, entry.host, entry.ttl));
    if (!answers.some((record) => record.data === entry.key)) {
      answers.push({ name: question.rawName, type: 'NS', class: 'IN', ttl: entry.ttl, data: entry.key });
    }
  }
  return ok(answers, additionals);
}

function fromEntries(
  entries: Entry[] | undefined,
  build: (entries: Entry[]) => ResourceRecord[],
): SynthResult {
  return entries === undefined ? NXDOMAIN : ok(build(entries));
}

function byType(lookup: Lookup, question: SynthQuestion): SynthResult {
  const { store, options, zone } = lookup;
  const { name, rawName } = question;
  switch (question.type) {
    case 'A':
    case 'AAAA': {
      const found = addresses(lookup, name, rawName, question.type, []);
      return found === undefined ? NXDOMAIN : ok(found);
    }
    case 'SRV':
      return srv(lookup, question);
    case 'TXT':
      return fromEntries(services(store, options, name, zone, 'TXT'), (entries) =>
        entries.map((entry) => ({
          name: rawName,
          type: 'TXT',
          class: 'IN',
          ttl: entry.ttl,
          data: [entry.text ?? ''],
        })),
      );
    case 'CNAME':
      return fromEntries(services(store, options, name, zone, 'CNAME'), (entries) => {
        const first = entries[0];
        if (first === undefined || canonicalIp(first.host) !== undefined) return [];
        return [{ name: rawName, type: 'CNAME', class: 'IN', ttl: first.ttl, data: first.host }];
      });
    case 'PTR':
      return fromEntries(reverse(store, options, name, zone), (entries) =>
        [...new Set(entries.map((entry) => entry.host))].map((host) => ({
          name: rawName,
          type: 'PTR',
          class: 'IN',
          ttl: options.ttl,
          data: host,
        })),
      );
    case 'SOA':
      return ok([soaRecord(store, options, zone)]);
    case 'NS':
      // Below the apex CoreDNS looks the name up as NS, which yields its own addresses whatever
      // the name: NODATA, never NXDOMAIN.
      return name === zone ? ns(lookup, question) : ok(NONE);
    default:
      // Every other type: NODATA where the name exists, NXDOMAIN where it does not (CoreDNS's
      // "fake A lookup"). MX included: services never have mail exchangers.
      return fromEntries(services(store, options, name, zone, question.type), () => []);
  }
}

/**
 * Answers a question under one of the plugin's zones from the store. Pure: the same store and
 * question give the same answer.
 */
export function synthesize(store: ClusterStore, options: SynthOptions, question: SynthQuestion): SynthResult {
  return byType({ store, options, zone: question.zone }, question);
}
