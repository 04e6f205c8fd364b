/**
 * One kind's list+watch, kept alive (what client-go calls a reflector): a paginated list replaces
 * the kind's records at once, then client-node's `Watch` streams changes into the store from the
 * list's resourceVersion. There is no client-side object cache: the store is the cache.
 * @module
 */
import type { Watch } from '@kubernetes/client-node/dist/watch.js';
import { SERVICE_NAME_LABEL } from '../convert.js';
import type {
  ApiObserver,
  ClusterKind,
  ClusterRecordByKind,
  ClusterStore,
  KubernetesObject,
} from '../types.js';
import { type BackoffOptions, backoffDelay } from './backoff.js';
import { collectGarbageSoon } from './collect-garbage.js';
import type { ApiConnection } from './connection.js';
import { statusOf } from './http-status.js';
import { type KindSpec, listAll } from './list-pages.js';
import type { ListTurns } from './list-turns.js';
import { timeRequest } from './observe.js';

/** Set by the endpoint controllers on Endpoints and EndpointSlices: when the change began. */
const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

/** Shared context of the reflectors of one source. */
export interface ReflectorContext {
  readonly connection: ApiConnection;
  /** client-node's `Watch` class (lazily imported). */
  readonly Watch: typeof Watch;
  readonly store: ClusterStore & {
    replaceRecords<K extends ClusterKind>(kind: K, records: Iterable<ClusterRecordByKind[K]>): void;
  };
  /** Shared by the kinds of a source: their lists run one at a time. */
  readonly listTurns: ListTurns;
  readonly backoff: BackoffOptions;
  readonly observer: ApiObserver | undefined;
  readonly resyncMs: number | undefined;
  readonly onListed: (kind: ClusterKind) => void;
  readonly onError: (kind: ClusterKind, error: Error, retryMs: number | undefined) => void;
}

function asError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}

/** A watch event's object, when it has the metadata the store needs. */
function eventObject(value: unknown): KubernetesObject | undefined {
  return typeof value === 'object' && value !== null ? (value as KubernetesObject) : undefined;
}

/**
 * Keeps one kind listed and watched. A clean end of the watch resumes it from the last
 * resourceVersion; a 410 Gone (as a response or as an ERROR event) relists; any other error is
 * reported and the kind is relisted after an exponential backoff with jitter.
 */
export class Reflector {
  /** Bumped on every (re)start and on stop: callbacks of older lists and watches are ignored. */
  private generation = 0;
  /** Where the watch resumes; empty means list first. */
  private resourceVersion = '';
  private attempt = 0;
  private startedAt = 0;
  private running = false;
  private listAbort: AbortController | undefined;
  private watchAbort: AbortController | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private readonly watch: Watch;

  constructor(
    private readonly spec: KindSpec,
    private readonly ctx: ReflectorContext,
  ) {
    this.watch = new ctx.Watch(ctx.connection.watchConfig);
  }

  /** Starts listing and watching (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.launch();
    if (this.ctx.resyncMs !== undefined) {
      this.resyncTimer = setInterval(() => this.resync(), this.ctx.resyncMs);
      this.resyncTimer.unref();
    }
  }

  /** Stops the list or watch in flight and every timer. */
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
    // Aborting makes the list reject and the watch report done: the bumped generation ignores both.
    this.listAbort?.abort();
    this.watchAbort?.abort();
    this.listAbort = undefined;
    this.watchAbort = undefined;
  }

  /** A fresh start: list, then watch. */
  private launch(): void {
    const generation = ++this.generation;
    this.resourceVersion = '';
    this.startedAt = Date.now();
    void this.cycle(generation);
  }

  private async cycle(generation: number): Promise<void> {
    try {
      if (this.resourceVersion === '') await this.relist(generation);
      if (generation !== this.generation) return;
      await this.openWatch(generation);
    } catch (error) {
      this.failed(generation, error);
    }
  }

  private async relist(generation: number): Promise<void> {
    const listed = await this.ctx.listTurns.run(async () => {
      // Stopped or restarted while waiting for the turn: that list is no longer wanted.
      if (generation !== this.generation) return false;
      const abort = new AbortController();
      this.listAbort = abort;
      const { records, resourceVersion } = await listAll(
        this.ctx.connection,
        this.spec,
        abort.signal,
        this.ctx.observer,
      );
      if (generation !== this.generation) return false;
      this.listAbort = undefined;
      this.ctx.store.replaceRecords(this.spec.kind, records);
      this.resourceVersion = resourceVersion;
      return true;
    });
    if (!listed) return;
    this.ctx.onListed(this.spec.kind);
    // The list's parse garbage would otherwise stay in the old generation of an idle server.
    collectGarbageSoon();
  }

  private async openWatch(generation: number): Promise<void> {
    const { spec } = this;
    const query: Record<string, string> = {
      resourceVersion: this.resourceVersion,
      // The API server then sends BOOKMARKs: a resumed watch starts from a recent version.
      allowWatchBookmarks: 'true',
    };
    if (spec.labelSelector !== undefined) query.labelSelector = spec.labelSelector;
    if (spec.fieldSelector !== undefined) query.fieldSelector = spec.fieldSelector;
    // The request is timed to its response headers (or its failure); the stream runs on.
    const responded = timeRequest(this.ctx.observer, new URL(this.ctx.connection.server).host);
    const controller = await this.watch.watch(
      spec.path,
      query,
      (type, object) => this.event(generation, type, eventObject(object)),
      (error) => {
        if (generation === this.generation) responded(error);
        this.watchEnded(generation, error);
      },
    );
    responded();
    // Stopped (or failed) while the watch was connecting: close it.
    if (generation !== this.generation) controller.abort();
    else this.watchAbort = controller;
  }

  private event(generation: number, type: string, object: KubernetesObject | undefined): void {
    if (generation !== this.generation || object === undefined) return;
    if (type === 'ERROR') {
      // The stream ends after this; 410 means the resourceVersion is gone: relist then.
      if (statusOf(object) === 410) this.resourceVersion = '';
      return;
    }
    const { store } = this.ctx;
    const metadata = object.metadata;
    if (type === 'ADDED' || type === 'MODIFIED') {
      this.attempt = 0;
      if (this.spec.keep(object)) {
        store.apply(object, this.spec.kind);
        this.reportEndpoints(object);
      }
    } else if (type === 'DELETED') {
      this.attempt = 0;
      if (metadata?.name !== undefined) store.delete(this.spec.kind, metadata.namespace ?? '', metadata.name);
      this.reportEndpoints(object);
    }
    const version = (metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
    if (typeof version === 'string' && version !== '') this.resourceVersion = version;
  }

  /** Reports a slice change that carries the endpoint controller's trigger time (see ApiObserver). */
  private reportEndpoints(object: KubernetesObject): void {
    const report = this.ctx.observer?.endpointsChanged;
    if (report === undefined || this.spec.kind !== 'EndpointSlice') return;
    const metadata = object.metadata;
    const trigger: unknown = metadata?.annotations?.[TRIGGER_TIME];
    const triggeredAt = typeof trigger === 'string' ? Date.parse(trigger) : Number.NaN;
    if (Number.isNaN(triggeredAt)) return;
    const service: unknown = metadata?.labels?.[SERVICE_NAME_LABEL];
    report.call(this.ctx.observer, {
      namespace: metadata?.namespace ?? '',
      service: typeof service === 'string' ? service : undefined,
      triggeredAt,
    });
  }

  private watchEnded(generation: number, error: unknown): void {
    if (generation !== this.generation || !this.running) return;
    this.watchAbort = undefined;
    if (error !== null && error !== undefined) {
      if (statusOf(error) !== 410) {
        this.failed(generation, error);
        return;
      }
      this.resourceVersion = '';
    }
    // A clean end resumes from the last resourceVersion; after a 410 the cycle relists first.
    void this.cycle(generation);
  }

  /** Any other failure: report it and start over (relist) after a backoff. */
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

  /** Periodic relist (drift repair): the watch in flight is closed and the kind listed again. */
  private resync(): void {
    if (!this.running || this.retryTimer !== undefined) return;
    this.dispose();
    this.launch();
  }
}
