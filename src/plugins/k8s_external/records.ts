import { joinZone } from '../../cluster/synth/request.js';
import type { DnsContext } from '../../core/types.js';
import type { ResourceRecord } from '../../wire/types.js';
import type { ExternalSettings } from './k8s_external.js';
import { type ExternalEntry, externalAddresses, hostFamily } from './lookup.js';

/** An A or AAAA record, by the address's family. */
function addressRecord(name: string, address: string, ttl: number): ResourceRecord {
  return hostFamily(address) === 6
    ? { name, type: 'AAAA', class: 'IN', ttl, data: address }
    : { name, type: 'A', class: 'IN', ttl, data: address };
}

/** `ns1.<apex>.<zone>`. */
function nameserver(zone: string, settings: ExternalSettings): string {
  return joinZone(`ns1.${settings.apex}`, zone);
}

/** The zone's SOA: static timers, the kubernetes store's last change as serial, minimum = TTL. */
export function soaRecord(zone: string, settings: ExternalSettings): ResourceRecord {
  return {
    name: zone,
    type: 'SOA',
    class: 'IN',
    ttl: settings.ttl,
    data: {
      mname: nameserver(zone, settings),
      rname: joinZone(`hostmaster.${settings.apex}`, zone),
      serial: settings.k8s.source.store.modified >>> 0,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: settings.ttl,
    },
  };
}

export function nsRecord(zone: string, settings: ExternalSettings): ResourceRecord {
  return { name: zone, type: 'NS', class: 'IN', ttl: settings.ttl, data: nameserver(zone, settings) };
}

/**
 * This server's external addresses: those of the services whose endpoints are the address the
 * query arrived on (the DNS pod), else that address itself when it is a real one.
 */
function ownAddresses(ctx: DnsContext, settings: ExternalSettings): string[] {
  const local = ctx.local.address;
  const store = settings.k8s.source.store;
  const found = store.endpointsByIP(local).flatMap(({ slice }) => {
    const service = slice.service === undefined ? undefined : store.service(slice.namespace, slice.service);
    return service === undefined ? [] : externalAddresses(service);
  });
  if (found.length > 0) return found.filter((host) => hostFamily(host) !== 0);
  return hostFamily(local) === 0 || local === '0.0.0.0' || local === '::' ? [] : [local];
}

/** The nameserver's A/AAAA records, named `ns1.<apex>.<zone>` or `owner`. */
export function nsAddressRecords(
  ctx: DnsContext,
  zone: string,
  settings: ExternalSettings,
  types: readonly ('A' | 'AAAA')[],
  owner = nameserver(zone, settings),
): ResourceRecord[] {
  const records: ResourceRecord[] = [];
  for (const address of ownAddresses(ctx, settings)) {
    const type = hostFamily(address) === 6 ? 'AAAA' : 'A';
    if (types.includes(type)) records.push(addressRecord(owner, address, settings.ttl));
  }
  return records;
}

function addressAnswers(ctx: DnsContext, entries: readonly ExternalEntry[], settings: ExternalSettings) {
  const family = ctx.question.type === 'A' ? 4 : 6;
  const seen = new Set<string>();
  const answers: ResourceRecord[] = [];
  for (const { host } of entries) {
    if (seen.has(host)) continue;
    seen.add(host);
    const hostIs = hostFamily(host);
    const { ttl } = settings;
    // An ingress host name becomes a CNAME (CoreDNS then also resolves it upstream; we do not).
    if (hostIs === 0) answers.push({ name: ctx.rawName, type: 'CNAME', class: 'IN', ttl, data: `${host}.` });
    else if (hostIs === family) answers.push(addressRecord(ctx.rawName, host, ttl));
  }
  return answers;
}

/** SRV records with CoreDNS's weights (100 split over one priority) and the targets' addresses. */
function srvAnswers(ctx: DnsContext, entries: readonly ExternalEntry[], settings: ExternalSettings) {
  const usable = entries.filter((entry) => entry.port !== -1);
  const weight = Math.max(1, Math.floor(100 / entries.length));
  const answers: ResourceRecord[] = [];
  const additionals: ResourceRecord[] = [];
  const seen = new Set<string>();
  for (const { host, port, target } of usable) {
    const srvKey = `${target} ${port}`;
    if (!seen.has(srvKey)) {
      seen.add(srvKey);
      const data = { priority: 0, weight, port, target };
      answers.push({ name: ctx.rawName, type: 'SRV', class: 'IN', ttl: settings.ttl, data });
    }
    const family = hostFamily(host);
    const addressKey = `${target} ${host}`;
    if (family === 0 || seen.has(addressKey)) continue;
    seen.add(addressKey);
    additionals.push(addressRecord(target, host, settings.ttl));
  }
  return { answers, additionals };
}

/** The answer for A, AAAA and SRV; other types get nothing (NODATA). */
export function answerRecords(
  ctx: DnsContext,
  entries: readonly ExternalEntry[],
  settings: ExternalSettings,
) {
  const type = ctx.question.type;
  if (type === 'A' || type === 'AAAA')
    return { answers: addressAnswers(ctx, entries, settings), additionals: [] };
  if (type === 'SRV') return srvAnswers(ctx, entries, settings);
  return { answers: [] as ResourceRecord[], additionals: [] as ResourceRecord[] };
}
