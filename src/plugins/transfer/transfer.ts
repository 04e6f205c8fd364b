import type { DnsContext, Logger, Next, Plugin, PluginEnv } from '../../core/types.js';
import { matchZone, normalizeZones } from '../../core/zones.js';
import type { ResourceRecord, SoaData } from '../../wire/types.js';
import { isZoneProvider } from '../../zone/store.js';
import type { Zone, ZoneProvider } from '../../zone/types.js';
import { packRecords } from './pack.js';
import { serialLess } from './serial.js';

/** Where transfers may go: an address (its port is where NOTIFY would go) or `*` for anyone. */
export interface TransferTarget {
  readonly address: string;
  readonly port: number;
}

/** One `transfer` line: its zones and who may transfer them. */
export interface TransferRule {
  /** Zones to answer AXFR/IXFR for; default the server block's zones. */
  readonly zones?: readonly string[];
  /** Allowed clients: `'*'`, IP addresses, or `{ address, port }`. */
  readonly to: readonly (string | TransferTarget)[];
}

interface Rule {
  readonly zones: readonly string[];
  readonly anyone: boolean;
  readonly addresses: ReadonlySet<string>;
}

function compileRule(rule: TransferRule, blockZones: readonly string[]): Rule {
  const addresses = new Set<string>();
  let anyone = false;
  for (const target of rule.to) {
    const address = typeof target === 'string' ? target : target.address;
    if (address === '*') anyone = true;
    else addresses.add(address.toLowerCase());
  }
  const zones = rule.zones === undefined || rule.zones.length === 0 ? blockZones : normalizeZones(rule.zones);
  return { zones, anyone, addresses };
}

/** An IPv4 client on a dual-stack socket shows as `::ffff:a.b.c.d`; compare it as IPv4. */
function clientAddress(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}

class Transfer implements Plugin {
  readonly name = 'transfer';
  readonly handle = (ctx: DnsContext, next: Next) => this.serve(ctx, next);
  private rules: readonly Rule[] = [];
  private providers: readonly ZoneProvider[] = [];
  private logger: Logger | undefined = undefined;

  constructor(private readonly config: readonly TransferRule[]) {}

  start(env: PluginEnv): void {
    this.logger = env.logger;
    this.rules = this.config.map((rule) => compileRule(rule, env.zones));
    this.providers = env.chain.filter((plugin): plugin is Plugin & ZoneProvider => isZoneProvider(plugin));
  }

  /** The rule with the longest zone containing `name`, as CoreDNS picks among `transfer` lines. */
  private ruleFor(name: string): Rule | undefined {
    let best: Rule | undefined;
    let bestLength = -1;
    for (const rule of this.rules) {
      const zone = matchZone(rule.zones, name);
      if (zone !== undefined && zone.length > bestLength) {
        best = rule;
        bestLength = zone.length;
      }
    }
    return best;
  }

  private zoneFor(origin: string): Zone | undefined {
    for (const provider of this.providers) {
      const zone = provider.zones().get(origin);
      if (zone !== undefined) return zone;
    }
    return undefined;
  }

  private serve(ctx: DnsContext, next: Next): Promise<void> | void {
    const { name, type } = ctx.question;
    if (type !== 'AXFR' && type !== 'IXFR') return next();
    // RFC 5936 4.2: AXFR only over a connection. CoreDNS refuses it on UDP.
    if (!ctx.canStream) return ctx.fail('REFUSED', 'zone transfer over UDP');
    const rule = this.ruleFor(name);
    if (rule === undefined) return next();
    if (!rule.anyone && !rule.addresses.has(clientAddress(ctx.peer.address))) {
      return ctx.fail('REFUSED', `zone transfer of ${name} not allowed to ${ctx.peer.address}`);
    }
    const zone = this.zoneFor(name);
    if (zone === undefined) return next();
    if (type === 'IXFR') {
      const clientSoa = ctx.request.authorities.find((record) => record.type === 'SOA');
      if (clientSoa === undefined) return ctx.fail('SERVFAIL', 'IXFR without an SOA in AUTHORITY');
      // RFC 1995 2: a client as new as we are gets our SOA alone; older ones get a full AXFR.
      if (!serialLess((clientSoa.data as SoaData).serial, zone.serial)) {
        return ctx.replyStream([{ authoritative: true, answers: [zone.soa as ResourceRecord] }]);
      }
    }
    this.sendZone(ctx, zone);
  }

  private sendZone(ctx: DnsContext, zone: Zone): void {
    // RFC 5936 2.2: the SOA opens and closes the transfer; records() starts with it.
    const records = [...zone.records(), zone.soa as ResourceRecord];
    const chunks = packRecords(records);
    ctx.replyStream(chunks.map((answers) => ({ authoritative: true, answers })));
    this.logger?.info(
      `transfer: outgoing transfer of ${records.length} records of zone ${zone.origin} to ${ctx.peer.address} for ${zone.serial} SOA serial`,
    );
  }
}

/**
 * The `transfer` plugin: answers AXFR (and IXFR, with a full AXFR or a lone SOA when the client is
 * current) over TCP for zones served by a {@link ZoneProvider} plugin of the same block (`file`,
 * `auto`, `secondary`), to the allowed addresses only.
 *
 * @example
 * ```ts
 * createServer({ zones: ['example.org.'], plugins: [transfer({ to: ['*'] }), file(...)] });
 * ```
 */
export function transfer(rules: TransferRule | readonly TransferRule[]): Plugin {
  return new Transfer(Array.isArray(rules) ? (rules as readonly TransferRule[]) : [rules as TransferRule]);
}
