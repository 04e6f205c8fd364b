/**
 * Query names of the Kubernetes DNS specification, split into their parts:
 * `[_port._proto.|endpoint.]service.namespace.(svc|pod).zone`.
 */

/** A parsed query name. Empty strings are parts the name does not have. */
export interface RecordRequest {
  readonly port: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly service: string;
  readonly namespace: string;
  /** `svc`, `pod`, or `''` for the apex, `svc.<zone>` and `pod.<zone>`. */
  readonly podOrSvc: '' | 'svc' | 'pod';
}

const EMPTY: RecordRequest = {
  port: '',
  protocol: '',
  endpoint: '',
  service: '',
  namespace: '',
  podOrSvc: '',
};

/** The labels of `name` left of `zone` (both normalised); `''` for the zone itself. */
export function trimZone(name: string, zone: string): string {
  if (name === zone) return '';
  return zone === '.' ? name.slice(0, -1) : name.slice(0, -zone.length - 1);
}

function stripUnderscore(label: string): string {
  return label.startsWith('_') ? label.slice(1) : label;
}

/**
 * Parses a name under `zone`. Undefined means "invalid": a name this schema does not have, which
 * is NXDOMAIN (a last label other than svc/pod, or too many labels).
 */
export function parseRequest(name: string, zone: string): RecordRequest | undefined {
  const base = trimZone(name, zone);
  // The apex, svc.<zone> and pod.<zone> exist (empty non-terminals): NODATA.
  if (base === '' || base === 'svc' || base === 'pod') return EMPTY;
  const segs = base.split('.');
  const podOrSvc = segs.pop();
  if (podOrSvc !== 'svc' && podOrSvc !== 'pod') return undefined;
  const namespace = segs.pop() ?? '';
  const service = segs.pop() ?? '';
  if (segs.length === 0) return request(podOrSvc, namespace, service, '', '', '');
  if (segs.length === 1) return request(podOrSvc, namespace, service, segs[0] as string, '', '');
  if (segs.length === 2) {
    const [port, protocol] = segs as [string, string];
    return request(podOrSvc, namespace, service, '', stripUnderscore(port), stripUnderscore(protocol));
  }
  return undefined;
}

/** One literal shape for every request: spreads on this per-query path cost microseconds in V8. */
function request(
  podOrSvc: 'svc' | 'pod',
  namespace: string,
  service: string,
  endpoint: string,
  port: string,
  protocol: string,
): RecordRequest {
  return { port, protocol, endpoint, service, namespace, podOrSvc };
}

/** `labels` + `zone` as one name (`zone` normalised; the root adds nothing). */
export function joinZone(labels: string, zone: string): string {
  return zone === '.' ? `${labels}.` : `${labels}.${zone}`;
}

/** True when `name` is `zone` or below it (both normalised). */
export function isWithin(name: string, zone: string): boolean {
  return zone === '.' || name === zone || name.endsWith(`.${zone}`);
}

/** True for zones under `in-addr.arpa.` or `ip6.arpa.` (CoreDNS's `dnsutil.IsReverse`). */
export function isReverseZone(zone: string): boolean {
  return zone.endsWith('in-addr.arpa.') || zone.endsWith('ip6.arpa.');
}
