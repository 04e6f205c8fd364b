import { trimZone } from '../../cluster/synth/request.js';
import { isKubernetesProvider, type KubernetesProvider } from '../../cluster/types.js';
import type { DnsContext, Next, Plugin, PluginEnv } from '../../core/types.js';
import { matchZone, normalizeZones } from '../../core/zones.js';
import { isSubdomain } from '../../wire/index.js';
import type { ResourceRecord } from '../../wire/types.js';
import { externalLookup } from './lookup.js';
import { answerRecords, nsAddressRecords, nsRecord, soaRecord } from './records.js';

/** Options of {@link k8sExternal}. */
export interface K8sExternalOptions {
  /** Zones to answer for; default the server block's zones. */
  readonly zones?: readonly string[];
  /** The label under the zone that holds the nameserver records; default `dns`. */
  readonly apex?: string;
  /** TTL of every record, 0-3600; default 5. */
  readonly ttl?: number;
  /** Also resolve headless services (and their endpoints) to endpoint addresses. */
  readonly headless?: boolean;
}

/** What the record builders need. */
export interface ExternalSettings {
  readonly apex: string;
  readonly ttl: number;
  readonly k8s: KubernetesProvider;
}

class K8sExternalPlugin implements Plugin {
  readonly name = 'k8s_external';
  private zones: readonly string[];
  private k8s: KubernetesProvider | undefined;

  constructor(private readonly options: K8sExternalOptions) {
    this.zones = normalizeZones(options.zones ?? []);
  }

  start(env: PluginEnv): void {
    if (this.zones.length === 0) this.zones = [...env.zones];
    // As CoreDNS: without a kubernetes plugin in the block, queries pass through.
    this.k8s = env.chain.find(isKubernetesProvider);
  }

  handle = (ctx: DnsContext, next: Next): Promise<void> | void => {
    const zone = matchZone(this.zones, ctx.question.name);
    const k8s = this.k8s;
    if (zone === undefined || k8s === undefined) return next();
    const settings: ExternalSettings = { apex: this.options.apex ?? 'dns', ttl: this.options.ttl ?? 5, k8s };
    const name = ctx.question.name;
    if (name === zone) return this.serveApex(ctx, zone, settings);
    if (isSubdomain(name, `${settings.apex}.${zone === '.' ? '' : zone}`))
      return this.serveSubApex(ctx, zone, settings);
    const { entries, rcode } = externalLookup(k8s, name, zone, this.options.headless === true);
    const soa = [soaRecord(zone, settings)];
    if (entries.length === 0) return ctx.reply({ rcode, authorities: soa, authoritative: true });
    const { answers, additionals } = answerRecords(ctx, entries, settings);
    if (answers.length === 0) return ctx.reply({ authorities: soa, authoritative: true });
    ctx.reply({ answers, additionals, authoritative: true });
  };

  /** SOA and NS at the apex (with the nameserver's addresses as glue), NODATA for other types. */
  private serveApex(ctx: DnsContext, zone: string, settings: ExternalSettings): void {
    const type = ctx.question.type;
    if (type === 'SOA') {
      ctx.reply({ answers: [soaRecord(zone, settings)], authoritative: true });
      return;
    }
    if (type !== 'NS') {
      ctx.reply({ authorities: [soaRecord(zone, settings)], authoritative: true });
      return;
    }
    const additionals = nsAddressRecords(ctx, zone, settings, ['A', 'AAAA']);
    ctx.reply({ answers: [nsRecord(zone, settings)], additionals, authoritative: true });
  }

  /** `dns.<zone>` is an empty non-terminal, `ns1.dns.<zone>` the nameserver; the rest does not exist. */
  private serveSubApex(ctx: DnsContext, zone: string, settings: ExternalSettings): void {
    const labels = trimZone(ctx.question.name, zone).split('.');
    const soa = [soaRecord(zone, settings)];
    if (labels.length === 1) {
      ctx.reply({ authorities: soa, authoritative: true });
      return;
    }
    if (labels.length !== 2 || labels[0] !== 'ns1') {
      ctx.reply({ rcode: 'NXDOMAIN', authorities: soa, authoritative: true });
      return;
    }
    const type = ctx.question.type;
    const answers: ResourceRecord[] =
      type === 'A'
        ? nsAddressRecords(ctx, zone, settings, ['A'], ctx.rawName)
        : type === 'AAAA'
          ? nsAddressRecords(ctx, zone, settings, ['AAAA'], ctx.rawName)
          : [];
    ctx.reply(
      answers.length > 0 ? { answers, authoritative: true } : { authorities: soa, authoritative: true },
    );
  }
}

/**
 * The `k8s_external` plugin: answers `<service>.<namespace>.<zone>` with the external IPs and
 * LoadBalancer ingress addresses of Kubernetes services (and with `headless`, the endpoints of
 * headless services), for clients outside the cluster. It needs the `kubernetes` plugin in the
 * same server block.
 *
 * @example
 * ```ts
 * createServer({ zones: ['.'], plugins: [k8sExternal({ zones: ['example.org'] }), kubernetes({ zones: ['cluster.local'], cluster })] });
 * ```
 */
export function k8sExternal(options: K8sExternalOptions = {}): Plugin {
  return new K8sExternalPlugin(options);
}
