/**
 * One informer (client-node's list+watch) per kind, kept alive: restarted with backoff after any
 * error, relisted on 410 Gone and on the resync period, each list replacing the kind's records at
 * once.
 * @module
 */
import type {
  KubeConfig,
  KubernetesObject as KubeObject,
  KubernetesListObject,
  ListWatch,
} from '@kubernetes/client-node';
import type { ClusterKind, ClusterStore, KubernetesObject } from '../types.js';
import { type BackoffOptions, backoffDelay } from './backoff.js';
import type { KubeClientModule } from './kube-config.js';

/** What to list and watch for one kind. */
export interface KindSpec {
  readonly kind: ClusterKind;
  /** The collection path, cluster-wide (`/api/v1/services`). */
  readonly path: string;
  readonly labelSelector: string | undefined;
  readonly fieldSelector: string | undefined;
  /** The list call of the generated API client, with the same selectors. */
  readonly list: () => Promise<KubernetesListObject<KubeObject>>;
  /** False for objects the store must not get (namespaces outside the `namespaces` filter). */
  readonly keep: (object: KubernetesObject) => boolean;
}

/** Shared context of the runners of one source. */
export interface RunnerContext {
  readonly k8s: KubeClientModule;
  readonly config: KubeConfig;
  readonly store: ClusterStore;
  readonly backoff: BackoffOptions;
  readonly resyncMs: number | undefined;
  readonly onListed: (kind: ClusterKind) => void;
  readonly onError: (kind: ClusterKind, error: Error, retryMs: number | undefined) => void;
}

/**
 * Shrinks an API object, in place, to what client-node's informer cache needs for its own diffing
 * (name, namespace, resourceVersion): the store has its compact record, and the informer must not
 * keep a second, full copy of the cluster.
 */
function shrink<T extends KubeObject>(object: T): T {
  const metadata = object.metadata;
  const slim = {
    ...(metadata?.name === undefined ? {} : { name: metadata.name }),
    ...(metadata?.namespace === undefined ? {} : { namespace: metadata.namespace }),
    ...(metadata?.resourceVersion === undefined ? {} : { resourceVersion: metadata.resourceVersion }),
  };
  const fields = object as Record<string, unknown>;
  for (const key of Object.keys(fields)) delete fields[key];
  fields.metadata = slim;
  return object;
}

function asError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}

/**
 * Keeps one kind's informer running. Every (re)start is a fresh client-node `ListWatch` (the same
 * object `makeInformer` builds) whose list callback replaces the kind's records atomically with
 * `store.replaceAll`; the per-object add/update/delete callbacks the informer then fires for the
 * list itself are skipped, so only watch events go through `apply`/`delete`.
 */
export class InformerRunner {
  private informer: ListWatch<KubeObject> | undefined;
  /** Bumped on every (re)start and on stop: callbacks of older informers are ignored. */
  private generation = 0;
  /** True between a list's `replaceAll` and the start of the following watch. */
  private absorbing = false;
  private attempt = 0;
  private startedAt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly spec: KindSpec,
    private readonly ctx: RunnerContext,
  ) {}

  /** Starts listing and watching (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.launch();
  }

  /** Stops the informer and every timer. */
  stop(): void {
    this.running = false;
    this.generation++;
    clearTimeout(this.retryTimer);
    clearInterval(this.resyncTimer);
    this.retryTimer = undefined;
    this.resyncTimer = undefined;
    this.dispose();
  }

  private dispose(): void {
    const informer = this.informer;
    this.informer = undefined;
    // stop() aborts the watch; the informer reports the abort as an error, which the bumped
    // generation makes us ignore.
    if (informer) informer.stop().catch(() => undefined);
  }

  private launch(): void {
    const generation = ++this.generation;
    this.absorbing = false;
    this.startedAt = Date.now();
    const { k8s, config } = this.ctx;
    const watch = new k8s.Watch(config);
    const openWatch = watch.watch.bind(watch);
    // The informer opens its watch right after applying a list: the end of the list's echo.
    watch.watch = (path, query, callback, done) => {
      // A list that was in flight when this informer was replaced or stopped: open nothing.
      if (generation !== this.generation) return Promise.resolve(new AbortController());
      this.absorbing = false;
      return openWatch(path, query, callback, done);
    };
    const { spec } = this;
    const informer = new k8s.ListWatch<KubeObject>(
      spec.path,
      watch,
      () => this.list(generation),
      false,
      spec.labelSelector,
      spec.fieldSelector,
    );
    const current = (): boolean => generation === this.generation && !this.absorbing;
    informer.on('add', (object) => current() && this.applyObject(object));
    informer.on('update', (object) => current() && this.applyObject(object));
    informer.on('delete', (object) => current() && this.deleteObject(object));
    informer.on('error', (error) => this.failed(generation, error));
    this.informer = informer;
    informer.start().catch((error: unknown) => this.failed(generation, error));
    if (this.ctx.resyncMs !== undefined && this.resyncTimer === undefined) {
      this.resyncTimer = setInterval(() => this.resync(), this.ctx.resyncMs);
      this.resyncTimer.unref();
    }
  }

  private async list(generation: number): Promise<KubernetesListObject<KubeObject>> {
    const list = await this.spec.list();
    if (generation === this.generation) {
      const { store, onListed } = this.ctx;
      const items = (list.items as KubernetesObject[]).filter((item) => this.spec.keep(item));
      store.replaceAll(this.spec.kind, items);
      this.absorbing = true;
      onListed(this.spec.kind);
    }
    for (const item of list.items) shrink(item);
    return list;
  }

  private applyObject(object: KubeObject): void {
    this.attempt = 0;
    const item = object as KubernetesObject;
    if (this.spec.keep(item)) this.ctx.store.apply(item, this.spec.kind);
    shrink(object);
  }

  private deleteObject(object: KubeObject): void {
    this.attempt = 0;
    const name = object.metadata?.name;
    if (name !== undefined) this.ctx.store.delete(this.spec.kind, object.metadata?.namespace ?? '', name);
  }

  /** Any informer error: client-node's informer has stopped for good, so start a new one later. */
  private failed(generation: number, cause: unknown): void {
    if (generation !== this.generation || !this.running) return;
    this.generation++;
    this.dispose();
    // A run that stayed up longer than the cap was healthy: start the backoff over.
    if (Date.now() - this.startedAt > (this.ctx.backoff.maxMs ?? 30_000)) this.attempt = 0;
    const delay = backoffDelay(this.attempt++, this.ctx.backoff);
    this.ctx.onError(this.spec.kind, asError(cause), delay);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.running) this.launch();
    }, delay);
  }

  /** Periodic relist: a fresh informer lists and replaces the kind's records (drift repair). */
  private resync(): void {
    if (!this.running || this.retryTimer !== undefined) return;
    this.dispose();
    this.launch();
  }
}
