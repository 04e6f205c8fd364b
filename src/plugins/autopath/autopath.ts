import type { Counter, Registry } from 'prom-client';
import type { DnsContext, Middleware, Next, Plugin, PluginEnv } from '../../core/types.js';
import { matchZone, normalizeZones } from '../../core/zones.js';
import { counterIn } from '../../metrics/registry.js';
import { isSubdomain, normalizeName } from '../../wire/index.js';
import type { DnsMessage, ResourceRecord } from '../../wire/types.js';
import { askChain, restOfChain } from './sub-context.js';

/**
 * A plugin that knows a client's search path (CoreDNS's `AutoPather`): the `kubernetes` plugin
 * gives a pod's `<ns>.svc.<zone> svc.<zone> <zone>` from its IP.
 */
export interface AutoPather {
  /** The client's search domains, most specific first; undefined when the client is unknown. */
  searchPath(clientIp: string): readonly string[] | undefined;
  /** When present, only names within these zones are autopathed (the kubernetes plugin's zones). */
  readonly zones?: readonly string[];
}

/** Options of {@link autopath}. Give `search` or `plugin`. */
export interface AutopathOptions {
  /** Zones to autopath in; default the server block's zones. */
  readonly zones?: readonly string[];
  /** A fixed search path (from a resolv.conf file's `search` line). */
  readonly search?: readonly string[];
  /** The name of the plugin of the same block that gives each client's search path (`kubernetes`). */
  readonly plugin?: string;
}

function isAutoPather(plugin: Plugin): plugin is Plugin & AutoPather {
  return typeof (plugin as Partial<AutoPather>).searchPath === 'function';
}

/** Rcodes for which CoreDNS's `ClientWrite` is false: the plugin wrote nothing. */
const NOT_WRITTEN = new Set(['SERVFAIL', 'REFUSED', 'FORMERR', 'NOTIMP']);

function written(response: DnsMessage | undefined): boolean {
  return response !== undefined && !NOT_WRITTEN.has(response.rcode);
}

/**
 * The answer for the name the client asked: a CNAME from it to the owner of the first answer
 * record that has another name (with that record's TTL), then the answers, question restored.
 */
export function cnamer(ctx: DnsContext, response: DnsMessage): DnsMessage {
  const original = ctx.rawName;
  const other = response.answers.find((record) => normalizeName(record.name) !== ctx.question.name);
  const cname: ResourceRecord[] =
    other === undefined
      ? []
      : [{ name: original, type: 'CNAME', class: 'IN', ttl: other.ttl, data: other.name }];
  return {
    ...response,
    id: ctx.request.id,
    questions: ctx.request.questions,
    answers: [...cname, ...response.answers],
  };
}

class AutopathPlugin implements Plugin {
  readonly name = 'autopath';
  private zones: readonly string[];
  private pather: AutoPather | undefined;
  private rest: Middleware = (_ctx, next) => next();
  private success: Counter<'server'> | undefined;

  constructor(private readonly options: AutopathOptions) {
    this.zones = normalizeZones(options.zones ?? []);
  }

  start(env: PluginEnv): void {
    if (this.zones.length === 0) this.zones = [...env.zones];
    this.rest = restOfChain(env.chain, this);
    this.success = successCounter(env.metrics);
    const name = this.options.plugin;
    if (name === undefined) return;
    const target = env.chain.find((plugin) => plugin.name === name);
    // As CoreDNS: a plugin absent from the block means no autopath, not an error.
    if (target === undefined) return;
    if (!isAutoPather(target))
      throw new Error(`plugin/autopath: ${name} does not implement the AutoPather interface`);
    this.pather = target;
  }

  handle = (ctx: DnsContext, next: Next): Promise<void> => {
    if (matchZone(this.zones, ctx.question.name) === undefined) return next();
    const path = this.searchPath(ctx);
    const first = path?.[0];
    if (path === undefined || first === undefined) return next();
    if (ctx.question.name !== first && !isSubdomain(ctx.question.name, first)) return next();
    return this.walk(ctx, path);
  };

  /** The client's search path plus the empty sentinel (the name as-is), or undefined. */
  private searchPath(ctx: DnsContext): string[] | undefined {
    const pather = this.pather;
    if (this.options.plugin === undefined) {
      const search = this.options.search ?? [];
      return search.length === 0 ? undefined : [...normalizeZones(search), ''];
    }
    if (pather === undefined) return undefined;
    if (pather.zones !== undefined && matchZone(pather.zones, ctx.question.name) === undefined)
      return undefined;
    const path = pather.searchPath(ctx.peer.address);
    return path === undefined || path.length === 0 ? undefined : [...normalizeZones(path), ''];
  }

  /** Tries base + each search domain until one is not NXDOMAIN; else the first reply as-is. */
  private async walk(ctx: DnsContext, path: readonly string[]): Promise<void> {
    const first = path[0] as string;
    // The base keeps the client's spelling: the search domain is cut off the name as written.
    const labels = first === '.' ? 0 : first.split('.').length - 1;
    const rawLabels = ctx.rawName.split('.').slice(0, -1);
    const base = rawLabels.slice(0, rawLabels.length - labels).join('.');
    let firstReply: DnsMessage | undefined;
    for (const [index, domain] of path.entries()) {
      const name = domain === '' ? `${base}.` : domain === '.' ? `${base}.` : `${base}.${domain}`;
      const reply = await askChain(ctx, this.rest, name);
      if (index === 0) firstReply = reply;
      if (reply === undefined || !written(reply) || reply.rcode === 'NXDOMAIN') continue;
      ctx.response = cnamer(ctx, reply);
      this.success?.inc({ server: `dns://:${ctx.local.port}` });
      return;
    }
    const reply: DnsMessage | undefined = firstReply;
    if (reply !== undefined && written(reply)) {
      ctx.response = { ...reply, id: ctx.request.id, questions: ctx.request.questions };
      return;
    }
    ctx.fail(reply?.rcode ?? 'SERVFAIL', 'autopath: the first search domain failed');
  }
}

function successCounter(registry: Registry): Counter<'server'> {
  return counterIn(registry, {
    name: 'coredns_autopath_success_total',
    help: 'Counter of requests that did autopath.',
    labelNames: ['server'],
  });
}

/**
 * The `autopath` plugin: server-side search path completion. A query for `name.<first search
 * domain>` from a client whose search path is known is answered with the first name along the
 * path that is not NXDOMAIN, behind a CNAME from the name asked, so that a pod's `ndots:5` search
 * costs one round trip. The search path comes from a resolv.conf (`search`) or from another
 * plugin of the block (`plugin: 'kubernetes'`, CoreDNS's `@kubernetes`).
 *
 * @example
 * ```ts
 * createServer({ zones: ['.'], plugins: [autopath({ plugin: 'kubernetes' }), kubernetes({ zones: ['cluster.local'], cluster, pods: 'verified' })] });
 * ```
 */
export function autopath(options: AutopathOptions): Plugin {
  return new AutopathPlugin(options);
}
