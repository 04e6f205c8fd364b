import { networkInterfaces } from 'node:os';
import { canonicalIp } from '../../cluster/ip.js';
import { memoryClusterFromPath } from '../../cluster/memory.js';
import { parseLabelSelector } from '../../cluster/selector.js';
import { soaRecord, synthesize } from '../../cluster/synth/answer.js';
import { namespaceExposed, serviceExposed } from '../../cluster/synth/lookup.js';
import { DEFAULT_TTL, type PodMode, type SynthOptions } from '../../cluster/synth/options.js';
import { isReverseZone, joinZone } from '../../cluster/synth/request.js';
import type {
  ApiClusterOptions,
  ClusterSource,
  KubernetesProvider,
  ServiceRecord,
} from '../../cluster/types.js';
import { type Fallthrough, fallsThrough, noFallthrough } from '../../core/fallthrough.js';
import type { BlockSettings, DnsContext, Next, Plugin, PluginEnv, ReplyInit } from '../../core/types.js';
import { matchZone, normalizeZones } from '../../core/zones.js';
import type { RRType } from '../../wire/types.js';
import { kubernetesApiMetrics } from './metrics.js';

/** Connection settings for the API-server source (`endpoint`, `tls`, `kubeconfig`). */
export type KubernetesApiOptions = Pick<
  ApiClusterOptions,
  'endpoint' | 'token' | 'tls' | 'kubeconfig' | 'resyncMs'
>;

/** Options of {@link kubernetes}; the Corefile directive fills the same ones. */
export interface KubernetesOptions {
  /** Zones to answer for; default the server block's zones. At least one must be a forward zone. */
  readonly zones?: readonly string[];
  /** Where records come from, e.g. `memoryCluster(...)`. Default: `manifests`, else the API server. */
  readonly cluster?: ClusterSource;
  /** dnskit extension: a manifest file or directory, loaded into a memory cluster. */
  readonly manifests?: string;
  /** How to reach the API server when neither `cluster` nor `manifests` is given. */
  readonly api?: KubernetesApiOptions;
  /** Only these namespaces are exposed. */
  readonly namespaces?: readonly string[];
  /** Label selector: only matching services are exposed. */
  readonly labels?: string;
  /** Label selector: only matching namespaces are exposed. */
  readonly namespaceLabels?: string;
  /** Pod records: `disabled` (default), `insecure`, `verified`. */
  readonly pods?: PodMode;
  readonly endpointPodNames?: boolean;
  /** Record TTL in seconds, 0-3600; default 5. */
  readonly ttl?: number;
  readonly noEndpoints?: boolean;
  readonly fallthrough?: Fallthrough;
  readonly ignoreEmptyService?: boolean;
  /** This server's own addresses (for NS records); default the bound or interface addresses. */
  readonly localIPs?: readonly string[];
  /** How long `start` waits for the source to sync before serving anyway; default 5000 ms (CoreDNS). */
  readonly syncWaitMs?: number;
}

function interfaceIPs(): string[] {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  const usable = all.filter((info) => !info.internal && !info.address.startsWith('fe80:'));
  return (usable.length > 0 ? usable : all).map((info) => canonicalIp(info.address) ?? info.address);
}

function waitForSync(source: ClusterSource, ms: number): Promise<void> {
  if (source.synced() || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      source.off('synced', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    source.on('synced', done);
  });
}

/** Marks a reply that passes the query to the next plugin (fallthrough on NXDOMAIN). */
const FALL_THROUGH = Symbol('fall through');
/** Most remembered replies; the synthesizer itself is fast, this only spares the hot names. */
const REPLY_CACHE_LIMIT = 10_000;

class KubernetesPlugin implements Plugin, KubernetesProvider {
  readonly name = 'kubernetes';
  zones: readonly string[];
  private synth: SynthOptions | undefined;
  private current: ClusterSource | undefined;
  private block: BlockSettings | undefined;
  private readonly fallthrough: Fallthrough;
  /**
   * Synthesized replies by question type, then name as spelled, valid until the store changes.
   * Two levels rather than one joined key: joining makes a new string to hash on every query.
   */
  private readonly replies = new Map<RRType, Map<string, ReplyInit>>();
  private repliesSize = 0;

  constructor(private readonly options: KubernetesOptions) {
    // No zones given: the server block's zones, known at start (normalizeZones would say ".").
    this.zones =
      options.zones === undefined || options.zones.length === 0 ? [] : normalizeZones(options.zones);
    this.fallthrough = options.fallthrough ?? noFallthrough;
    if (options.labels !== undefined) parseLabelSelector(options.labels);
    if (options.namespaceLabels !== undefined) parseLabelSelector(options.namespaceLabels);
  }

  get source(): ClusterSource {
    if (this.current === undefined) throw new Error('kubernetes: the plugin has not started');
    return this.current;
  }
  get ttl(): number {
    return this.options.ttl ?? DEFAULT_TTL;
  }

  configure(block: BlockSettings): void {
    this.block = block;
  }

  async start(env: PluginEnv): Promise<void> {
    if (this.zones.length === 0) this.zones = [...env.zones];
    const primaryZone = this.zones.find((zone) => !isReverseZone(zone));
    if (primaryZone === undefined) throw new Error('kubernetes: non-reverse zone name must be used');
    this.synth = this.synthOptions(primaryZone);
    const source = await this.openSource(env);
    source.on('error', (error) => env.logger.error(`plugin/kubernetes: ${error.message}`));
    this.current = source;
    source.store.on('change', () => this.forgetReplies());
    source.on('synced', () => this.forgetReplies());
    await source.start();
    await waitForSync(source, this.options.syncWaitMs ?? 5000);
    if (!source.synced()) env.logger.warn('plugin/kubernetes: starting server with unsynced Kubernetes API');
  }

  async stop(): Promise<void> {
    await this.current?.stop();
  }

  ready(): boolean {
    return this.current?.synced() === true;
  }

  handle = (ctx: DnsContext, next: Next): Promise<void> | void => {
    const zone = matchZone(this.zones, ctx.question.name);
    if (zone === undefined) return next();
    const source = this.current;
    if (this.synth === undefined || source === undefined)
      return ctx.fail('SERVFAIL', 'kubernetes: not started');
    const type = ctx.question.type;
    let reply: ReplyInit | typeof FALL_THROUGH | undefined = this.replies.get(type)?.get(ctx.rawName);
    if (reply === undefined) {
      reply = this.synthesizeReply(ctx, zone, source);
      // Only synced, definite answers are remembered; every store change forgets them all.
      if (reply !== FALL_THROUGH && source.synced()) this.remember(type, ctx.rawName, reply);
    }
    if (reply === FALL_THROUGH) return next();
    ctx.reply(reply);
  };

  /** The answer for a question, or FALL_THROUGH when NXDOMAIN falls through to the next plugin. */
  private synthesizeReply(
    ctx: DnsContext,
    zone: string,
    source: ClusterSource,
  ): ReplyInit | typeof FALL_THROUGH {
    const synth = this.synth as SynthOptions;
    const { question } = ctx;
    const result = synthesize(source.store, synth, {
      name: question.name,
      type: question.type,
      rawName: ctx.rawName,
      zone,
    });
    if (result.rcode === 'NXDOMAIN') {
      if (fallsThrough(this.fallthrough, question.name)) return FALL_THROUGH;
      // Until the first lists are in, "no such name" may be wrong: CoreDNS says SERVFAIL.
      const rcode = source.synced() ? 'NXDOMAIN' : 'SERVFAIL';
      return { rcode, authorities: [soaRecord(source.store, synth, zone)], authoritative: true };
    }
    if (result.answers.length === 0) {
      return { authorities: [soaRecord(source.store, synth, zone)], authoritative: true };
    }
    return { answers: result.answers, additionals: result.additionals, authoritative: true };
  }

  private remember(type: RRType, name: string, reply: ReplyInit): void {
    // A bound, not an LRU: when full, start over (a burst of distinct names must not grow memory).
    if (this.repliesSize >= REPLY_CACHE_LIMIT) this.forgetReplies();
    let byName = this.replies.get(type);
    if (byName === undefined) {
      byName = new Map();
      this.replies.set(type, byName);
    }
    const size = byName.size;
    byName.set(name, reply);
    this.repliesSize += byName.size - size;
  }

  private forgetReplies(): void {
    this.replies.clear();
    this.repliesSize = 0;
  }

  searchPath(clientIp: string): string[] | undefined {
    const ip = canonicalIp(clientIp);
    const synth = this.synth;
    if (ip === undefined || synth === undefined || this.current === undefined) return undefined;
    // As CoreDNS: only `pods verified` keeps the pod data that maps a client to its namespace.
    if (synth.podMode !== 'verified') return undefined;
    const pod = this.current.store.podsByIP(ip).find((candidate) => !candidate.deleting);
    if (pod === undefined) return undefined;
    const zone = synth.primaryZone;
    return [joinZone(`${pod.namespace}.svc`, zone), joinZone('svc', zone), zone];
  }

  namespaceExposed(namespace: string): boolean {
    return (
      this.synth !== undefined &&
      this.current !== undefined &&
      namespaceExposed(this.current.store, this.synth, namespace)
    );
  }

  serviceExposed(service: ServiceRecord): boolean {
    return (
      this.synth !== undefined &&
      this.current !== undefined &&
      serviceExposed(this.current.store, this.synth, service)
    );
  }

  private synthOptions(primaryZone: string): SynthOptions {
    const { options } = this;
    const listen = (this.block?.listen ?? []).filter((address) => address !== '0.0.0.0' && address !== '::');
    return {
      zones: this.zones,
      primaryZone,
      ttl: this.ttl,
      podMode: options.pods ?? 'disabled',
      endpointPodNames: options.endpointPodNames === true,
      noEndpoints: options.noEndpoints === true,
      ignoreEmptyService: options.ignoreEmptyService === true,
      namespaces: options.namespaces === undefined ? undefined : new Set(options.namespaces),
      labels: options.labels === undefined ? undefined : parseLabelSelector(options.labels),
      namespaceLabels:
        options.namespaceLabels === undefined ? undefined : parseLabelSelector(options.namespaceLabels),
      localIPs: options.localIPs ?? (listen.length > 0 ? listen : interfaceIPs()),
    };
  }

  private async openSource({ logger, metrics }: PluginEnv): Promise<ClusterSource> {
    const { options } = this;
    if (options.cluster !== undefined) return options.cluster;
    if (options.manifests !== undefined) return memoryClusterFromPath(options.manifests);
    // Loaded only when needed: @kubernetes/client-node costs ~0.5 s and ~75 MB.
    const { apiCluster } = await import('../../cluster/api/index.js');
    const apiOptions: ApiClusterOptions = {
      ...options.api,
      ...(options.namespaces === undefined ? {} : { namespaces: options.namespaces }),
      ...(options.labels === undefined ? {} : { labelSelector: options.labels }),
      ...(options.namespaceLabels === undefined ? {} : { namespaceLabelSelector: options.namespaceLabels }),
      watchPods: options.pods === 'verified',
      logger,
      observer: kubernetesApiMetrics(metrics, () => this.current?.store),
    };
    return apiCluster(apiOptions);
  }
}

/**
 * The `kubernetes` plugin: answers the Kubernetes DNS-Based Service Discovery names (services,
 * endpoints, pods, PTR, SRV, `dns-version`) from a cluster source, as CoreDNS's `kubernetes` does.
 *
 * @example
 * ```ts
 * const cluster = memoryCluster();
 * cluster.service({ name: 'web', namespace: 'shop', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }] });
 * const server = createServer({ zones: ['cluster.local'], plugins: [kubernetes({ cluster })] });
 * ```
 */
export function kubernetes(options: KubernetesOptions = {}): Plugin & KubernetesProvider {
  return new KubernetesPlugin(options);
}
