/**
 * The API-server cluster source: list+watch of Services, EndpointSlices, Namespaces and (with
 * `watchPods`) Pods over `@kubernetes/client-node`, feeding a cluster store.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import type { Logger } from '../../core/types.js';
import { createClusterStore } from '../store.js';
import type {
  ApiClusterOptions,
  ClusterChange,
  ClusterKind,
  ClusterSource,
  ClusterSourceEvents,
  KubernetesObject,
} from '../types.js';
import type { BackoffOptions } from './backoff.js';
import { openConnection } from './connection.js';
import { statusOf } from './http-status.js';
import type { KindSpec } from './list-pages.js';
import { ListTurns } from './list-turns.js';
import { Reflector } from './reflector.js';

/** Tuning of {@link apiCluster} beyond what the `kubernetes` directive sets. */
export interface ApiSourceTuning {
  /** Restart backoff after list/watch errors (default 1 s doubling to 30 s, with jitter). */
  readonly backoff?: BackoffOptions;
}

/** Options of {@link apiCluster}. */
export type ApiSourceOptions = ApiClusterOptions & ApiSourceTuning;

/**
 * Pods that can never get DNS (finished or unknown) stay out of the store, as CoreDNS filters
 * them server-side.
 */
const LIVE_PODS = 'status.phase!=Succeeded,status.phase!=Failed,status.phase!=Unknown';

/** The kinds to list and watch, with their server-side selectors. */
function kindSpecs(config: ApiSourceOptions): KindSpec[] {
  const labelSelector = config.labelSelector;
  const keep = namespaceFilter(config.namespaces);
  const inNamespace = (o: KubernetesObject): boolean => keep(o.metadata?.namespace);
  const specs: KindSpec[] = [
    {
      kind: 'Namespace',
      path: '/api/v1/namespaces',
      labelSelector: config.namespaceLabelSelector,
      fieldSelector: undefined,
      keep: (o) => keep(o.metadata?.name),
    },
    { kind: 'Service', path: '/api/v1/services', labelSelector, fieldSelector: undefined, keep: inNamespace },
    {
      kind: 'EndpointSlice',
      path: '/apis/discovery.k8s.io/v1/endpointslices',
      labelSelector,
      fieldSelector: undefined,
      keep: inNamespace,
    },
  ];
  if (config.watchPods) {
    specs.push({
      kind: 'Pod',
      path: '/api/v1/pods',
      labelSelector,
      fieldSelector: LIVE_PODS,
      keep: inNamespace,
    });
  }
  return specs;
}

/**
 * The `namespaces` filter, applied as objects arrive: the watches are cluster-wide (one watch per
 * kind whatever the number of namespaces, like CoreDNS), and objects of other namespaces never
 * take memory in the store.
 */
function namespaceFilter(
  namespaces: readonly string[] | undefined,
): (namespace: string | undefined) => boolean {
  if (namespaces === undefined || namespaces.length === 0) return () => true;
  const allowed = new Set(namespaces);
  return (namespace) => allowed.has(namespace ?? 'default');
}

/** See {@link apiCluster}. */
export class ApiSource implements ClusterSource {
  readonly store = createClusterStore();
  private readonly events = new EventEmitter<ClusterSourceEvents>();
  private readonly listed = new Set<ClusterKind>();
  private runners: Reflector[] = [];
  private starting: Promise<void> | undefined;
  private expected = 0;
  private isSynced = false;
  private forwarding = false;
  private readonly forward = (change: ClusterChange): void => {
    this.events.emit('change', change);
  };

  constructor(private readonly options: ApiSourceOptions) {}

  private get logger(): Logger | undefined {
    return this.options.logger;
  }

  start(): Promise<void> {
    this.starting ??= this.launch().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async launch(): Promise<void> {
    if (this.runners.length > 0) return;
    const connection = await openConnection(this.options);
    // Loaded here, not at module load: hosts that only use the in-memory cluster never pay for it.
    // The Watch module alone: client-node's index also loads the generated API client (~28 MB).
    const { Watch } = await import('@kubernetes/client-node/dist/watch.js');
    const specs = kindSpecs(this.options);
    this.expected = specs.length;
    const context = {
      connection,
      Watch,
      store: this.store,
      listTurns: new ListTurns(),
      observer: this.options.observer,
      backoff: this.options.backoff ?? {},
      resyncMs: this.options.resyncMs,
      onListed: (kind: ClusterKind) => this.onListed(kind),
      onError: (kind: ClusterKind, error: Error, retryMs: number | undefined) =>
        this.onError(kind, error, retryMs),
    };
    this.runners = specs.map((spec) => new Reflector(spec, context));
    this.logger?.info(`plugin/kubernetes: watching ${connection.server} (${connection.origin})`);
    for (const runner of this.runners) runner.start();
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    for (const runner of this.runners) runner.stop();
    this.runners = [];
  }

  synced(): boolean {
    return this.isSynced;
  }

  on<E extends keyof ClusterSourceEvents>(event: E, listener: ClusterSourceEvents[E]): this {
    this.events.on(event, listener as (...args: unknown[]) => void);
    // The store only emits changes when someone listens: forward only when asked.
    if (event === 'change' && !this.forwarding) {
      this.forwarding = true;
      this.store.on('change', this.forward);
    }
    return this;
  }

  off<E extends keyof ClusterSourceEvents>(event: E, listener: ClusterSourceEvents[E]): this {
    this.events.off(event, listener as (...args: unknown[]) => void);
    if (event === 'change' && this.forwarding && this.events.listenerCount('change') === 0) {
      this.forwarding = false;
      this.store.off('change', this.forward);
    }
    return this;
  }

  private onListed(kind: ClusterKind): void {
    if (this.isSynced) return;
    this.listed.add(kind);
    if (this.listed.size < this.expected) return;
    this.isSynced = true;
    this.logger?.info('plugin/kubernetes: initial lists synced');
    this.events.emit('synced');
  }

  private onError(kind: ClusterKind, error: Error, retryMs: number | undefined): void {
    const retry = retryMs === undefined ? '' : `, retrying in ${retryMs} ms`;
    const wrapped = new Error(`${kind} list/watch failed: ${describe(error)}${retry}`, { cause: error });
    // Whoever listens (the kubernetes plugin) logs it; otherwise the logger does, never both.
    if (this.events.listenerCount('error') > 0) this.events.emit('error', wrapped);
    else this.logger?.warn(`plugin/kubernetes: ${wrapped.message}`);
  }
}

/** A short description of a client error (HTTP status when there is one). */
function describe(error: Error): string {
  const status = statusOf(error);
  const message = error.message.split('\n')[0] ?? '';
  return status === undefined ? message : `HTTP ${String(status)}: ${message.slice(0, 200)}`;
}
