/**
 * A small Kubernetes API server over real HTTP on 127.0.0.1, for tests of the API cluster source
 * with the real `@kubernetes/client-node`. It speaks what the client's list+watch (`ListWatch`)
 * uses for core/v1 services, pods, namespaces and discovery.k8s.io/v1 endpointslices:
 *
 * - `GET <collection>` lists with `metadata.resourceVersion` (items carry no kind, as the API does),
 *   paginated with `limit` and `continue` (an expired continue token gets 410 Expired);
 * - `GET <collection>?watch=true&resourceVersion=N` streams newline-delimited JSON events from N
 *   (ADDED/MODIFIED/DELETED/BOOKMARK); a too-old N gets an ERROR event with a 410 Status (or a 410
 *   response, `goneAs: 'status'`), as after etcd compaction;
 * - `labelSelector` (`=`, `==`, `!=`, `in`, `notin`, exists, `!`exists) and simple `fieldSelector`
 *   (`path=v`, `path!=v`); an object whose labels stop (start) matching is DELETED (ADDED) for that
 *   watch, as the API server does;
 * - namespace-scoped (`/api/v1/namespaces/NS/services`) and cluster-wide paths;
 * - bearer-token auth (401 otherwise).
 *
 * The control API (`apply`, `delete`, `dropWatches`, `expireHistory`, `pauseWatches`, `stop`,
 * `start`...) lets tests drive the cluster and the failures.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A Kubernetes object as the test server keeps it (plain JSON). */
export interface ApiObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

/** The kinds the server serves. */
export type ServedKind = 'Service' | 'Pod' | 'Namespace' | 'EndpointSlice';

interface Resource {
  readonly kind: ServedKind;
  readonly apiVersion: string;
  readonly prefix: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

const RESOURCES: readonly Resource[] = [
  { kind: 'Service', apiVersion: 'v1', prefix: '/api/v1', plural: 'services', namespaced: true },
  { kind: 'Pod', apiVersion: 'v1', prefix: '/api/v1', plural: 'pods', namespaced: true },
  { kind: 'Namespace', apiVersion: 'v1', prefix: '/api/v1', plural: 'namespaces', namespaced: false },
  {
    kind: 'EndpointSlice',
    apiVersion: 'discovery.k8s.io/v1',
    prefix: '/apis/discovery.k8s.io/v1',
    plural: 'endpointslices',
    namespaced: true,
  },
];

const ROUTE = /^(\/api\/v1|\/apis\/discovery\.k8s\.io\/v1)(?:\/namespaces\/([^/]+))?\/([a-z]+)$/;

/** One request the server saw, for assertions (selectors sent server-side, watch resume points). */
export interface LoggedRequest {
  readonly kind: ServedKind;
  readonly namespace: string | undefined;
  readonly watch: boolean;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
}

/** Options of {@link startK8sApiServer}. */
export interface K8sApiServerOptions {
  /** Require `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** How a too-old watch resourceVersion is refused: an ERROR event in a 200 stream (the API server's way) or a 410 response. */
  readonly goneAs?: 'event' | 'status';
  /** Listen on this port (default 0: any). */
  readonly port?: number;
}

interface HistoryEvent {
  readonly rv: number;
  readonly kind: ServedKind;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: ApiObject;
  readonly previous: ApiObject | undefined;
}

interface Watcher {
  readonly resource: Resource;
  readonly namespace: string | undefined;
  readonly matches: (object: ApiObject) => boolean;
  readonly res: ServerResponse;
}

type Requirement = (labels: Record<string, string>) => boolean;

/** Splits on commas outside parentheses (`a in (x,y),b`). */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

function parseRequirement(term: string): Requirement {
  const set = /^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (set) {
    const [, key = '', op, list = ''] = set;
    const values = new Set(list.split(',').map((v) => v.trim()));
    return op === 'in'
      ? (l) => l[key] !== undefined && values.has(l[key])
      : (l) => l[key] === undefined || !values.has(l[key]);
  }
  const cmp = /^([\w./-]+)\s*(!=|==|=)\s*([\w./-]*)$/.exec(term);
  if (cmp) {
    const [, key = '', op, value] = cmp;
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  const exists = /^(!?)([\w./-]+)$/.exec(term);
  if (exists) {
    const [, not, key = ''] = exists;
    return not === '!' ? (l) => l[key] === undefined : (l) => l[key] !== undefined;
  }
  throw new Error(`unable to parse requirement: ${term}`);
}

/** Compiles a label selector the way the API server reads `labelSelector`. */
export function parseLabelSelector(selector: string): (labels: Record<string, string>) => boolean {
  const requirements = splitTerms(selector).map(parseRequirement);
  return (labels) => requirements.every((r) => r(labels));
}

function fieldValue(object: ApiObject, path: string): unknown {
  let value: unknown = object;
  for (const part of path.split('.')) {
    value =
      typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}

function parseFieldSelector(selector: string): (object: ApiObject) => boolean {
  const checks = splitTerms(selector).map((term) => {
    const m = /^([\w.]+)\s*(!=|==|=)\s*(.*)$/.exec(term);
    if (!m) throw new Error(`unable to parse field selector: ${term}`);
    const [, path = '', op, value = ''] = m;
    return (o: ApiObject) => {
      const actual = String(fieldValue(o, path) ?? '');
      return op === '!=' ? actual !== value : actual === value;
    };
  });
  return (object) => checks.every((c) => c(object));
}

function status(code: number, reason: string, message: string): ApiObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function keyOf(object: ApiObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

/**
 * The test API server. Create it with {@link startK8sApiServer}.
 */
export class K8sApiServer {
  /** Every list and watch request, in order. */
  readonly requests: LoggedRequest[] = [];
  private readonly http: Server;
  private readonly sockets = new Set<Socket>();
  private readonly objects = new Map<ServedKind, Map<string, ApiObject>>();
  private history: HistoryEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly held: Array<() => void> = [];
  private revision = 1;
  private compacted = 0;
  private paused = false;
  private listsPaused = false;
  private failures: number[] = [];
  private boundPort = 0;

  constructor(private readonly options: K8sApiServerOptions = {}) {
    for (const r of RESOURCES) this.objects.set(r.kind, new Map());
    this.http = createServer((req, res) => this.route(req, res));
    this.http.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** The port (stable across `stop()`/`start()`). */
  get port(): number {
    return this.boundPort;
  }

  /** `http://127.0.0.1:PORT`. */
  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  /** The current resourceVersion (etcd revision). */
  get resourceVersion(): number {
    return this.revision;
  }

  /** Number of open watch streams. */
  get openWatches(): number {
    return this.watchers.size;
  }

  /** Starts (or restarts, on the same port) accepting connections. */
  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.boundPort || this.options.port || 0, '127.0.0.1', () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    const address = this.http.address();
    if (address !== null && typeof address === 'object') this.boundPort = address.port;
  }

  /** Goes down: closes the listener and every connection; connections are refused until `start()`. */
  async stop(): Promise<void> {
    for (const release of this.held.splice(0)) release();
    for (const watcher of this.watchers) watcher.res.destroy();
    this.watchers.clear();
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Adds or replaces an object (by kind, namespace and name); returns the stored copy. */
  apply(input: ApiObject): ApiObject {
    const resource = RESOURCES.find((r) => r.kind === input.kind);
    if (!resource) throw new Error(`test API server: unknown kind ${String(input.kind)}`);
    const kindMap = this.objects.get(resource.kind)!;
    const object = structuredClone(input);
    object.apiVersion = resource.apiVersion;
    const metadata = { ...object.metadata };
    if (!resource.namespaced) delete metadata.namespace;
    else metadata.namespace ??= 'default';
    const key = keyOf({ metadata });
    const previous = kindMap.get(key);
    metadata.uid ??= previous?.metadata?.uid ?? `uid-${this.revision}`;
    metadata.resourceVersion = String(++this.revision);
    object.metadata = metadata;
    kindMap.set(key, object);
    this.record({
      rv: this.revision,
      kind: resource.kind,
      type: previous ? 'MODIFIED' : 'ADDED',
      object,
      previous,
    });
    return object;
  }

  /** Deletes an object; `namespace` is ignored for namespaces. True when it existed. */
  delete(kind: ServedKind, namespace: string, name: string): boolean {
    const kindMap = this.objects.get(kind)!;
    const key = kind === 'Namespace' ? `/${name}` : `${namespace}/${name}`;
    const previous = kindMap.get(key);
    if (!previous) return false;
    kindMap.delete(key);
    const object = structuredClone(previous);
    object.metadata = { ...object.metadata, resourceVersion: String(++this.revision) };
    this.record({ rv: this.revision, kind, type: 'DELETED', object, previous });
    return true;
  }

  /** Ends every watch stream: cleanly (the client resumes from its resourceVersion) or by resetting the socket. */
  dropWatches(options: { abrupt?: boolean } = {}): void {
    for (const watcher of this.watchers) {
      if (options.abrupt) watcher.res.socket?.destroy();
      else watcher.res.end();
    }
    this.watchers.clear();
  }

  /** Forgets the event history (etcd compaction): watches from an older resourceVersion get 410 Gone. */
  expireHistory(): void {
    this.history = [];
    this.compacted = this.revision;
  }

  /** Holds new watch requests unanswered until {@link resumeWatches} (lets a test change things the client misses). */
  pauseWatches(): void {
    this.paused = true;
  }

  /** While true, every `continue` token is refused with 410 Expired (a list that outlived etcd's compaction). */
  expireContinue = false;
  /** List requests answered so far (pages count one each). */
  listRequests = 0;

  /** Holds new list requests unanswered until {@link resumeWatches} (a list in flight). */
  pauseLists(): void {
    this.listsPaused = true;
  }

  /** Answers every held list and watch request and stops holding new ones. */
  resumeWatches(): void {
    this.paused = false;
    this.listsPaused = false;
    for (const release of this.held.splice(0)) release();
  }

  /** Sends a BOOKMARK with the current resourceVersion to every watch. */
  bookmark(): void {
    for (const watcher of this.watchers) {
      const object = {
        kind: watcher.resource.kind,
        apiVersion: watcher.resource.apiVersion,
        metadata: { resourceVersion: String(this.revision) },
      };
      watcher.res.write(`${JSON.stringify({ type: 'BOOKMARK', object })}\n`);
    }
  }

  /** The next `count` list or watch requests fail with this HTTP status (default 500). */
  failNextRequests(count: number, code = 500): void {
    for (let i = 0; i < count; i++) this.failures.push(code);
  }

  private record(event: HistoryEvent): void {
    this.history.push(event);
    for (const watcher of this.watchers) {
      if (watcher.resource.kind !== event.kind) continue;
      this.send(watcher, event);
    }
  }

  /** Writes an event as this watch sees it: selector transitions become ADDED/DELETED. */
  private send(watcher: Watcher, event: HistoryEvent): void {
    const inScope = (o: ApiObject | undefined): boolean =>
      o !== undefined &&
      (watcher.namespace === undefined || o.metadata?.namespace === watcher.namespace) &&
      watcher.matches(o);
    const now = event.type !== 'DELETED' && inScope(event.object);
    const before = inScope(event.previous);
    let type: string;
    if (now) type = before ? 'MODIFIED' : 'ADDED';
    else if (before) type = 'DELETED';
    else return;
    const object = { ...event.object, kind: event.kind };
    watcher.res.write(`${JSON.stringify({ type, object })}\n`);
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = ROUTE.exec(url.pathname);
    const resource = match && RESOURCES.find((r) => r.prefix === match[1] && r.plural === match[3]);
    if (!match || !resource || req.method !== 'GET' || (match[2] !== undefined && !resource.namespaced)) {
      sendJson(res, 404, status(404, 'NotFound', `the server could not find ${url.pathname}`));
      return;
    }
    const query = Object.fromEntries(url.searchParams);
    const watch = query.watch === 'true' || query.watch === '1';
    const authorization = req.headers.authorization;
    this.requests.push({ kind: resource.kind, namespace: match[2], watch, query, authorization });
    if (this.options.token !== undefined && authorization !== `Bearer ${this.options.token}`) {
      sendJson(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    const failure = this.failures.shift();
    if (failure !== undefined) {
      sendJson(res, failure, status(failure, 'InternalError', 'injected failure'));
      return;
    }
    let matches: (o: ApiObject) => boolean;
    try {
      const labels = parseLabelSelector(query.labelSelector ?? '');
      const fields = parseFieldSelector(query.fieldSelector ?? '');
      matches = (o) => labels(o.metadata?.labels ?? {}) && fields(o);
    } catch (error) {
      sendJson(res, 400, status(400, 'BadRequest', (error as Error).message));
      return;
    }
    const namespace = match[2];
    if (!watch && this.listsPaused) {
      this.held.push(() => this.list(res, resource, namespace, matches, query));
    } else if (!watch) this.list(res, resource, namespace, matches, query);
    else if (this.paused) this.held.push(() => this.watch(res, resource, namespace, matches, query));
    else this.watch(res, resource, namespace, matches, query);
  }

  private list(
    res: ServerResponse,
    resource: Resource,
    namespace: string | undefined,
    matches: (o: ApiObject) => boolean,
    query: Record<string, string>,
  ): void {
    if (res.destroyed) return;
    this.listRequests++;
    const rv = Number(query.resourceVersion || 0);
    if (rv > 0 && rv < this.compacted) {
      sendJson(res, 410, status(410, 'Expired', `too old resource version: ${rv} (${this.compacted})`));
      return;
    }
    // Pagination: `limit` pages, and `continue` carries the list's revision and the next offset
    // (in insertion order; a real server continues from a snapshot, which tests do not need).
    let from = 0;
    let listRevision = this.revision;
    if (query.continue) {
      const [revision = 0, offset = 0] = Buffer.from(query.continue, 'base64url')
        .toString()
        .split(':')
        .map(Number);
      if (revision < this.compacted || this.expireContinue) {
        sendJson(res, 410, status(410, 'Expired', 'The provided continue parameter is too old'));
        return;
      }
      from = offset;
      listRevision = revision;
    }
    const limit = Number(query.limit || 0);
    const items: ApiObject[] = [];
    let seen = 0;
    let more = false;
    for (const o of this.objects.get(resource.kind)!.values()) {
      if ((namespace !== undefined && o.metadata?.namespace !== namespace) || !matches(o)) continue;
      // Stop at the first match past the page: it only tells that there is more.
      if (limit > 0 && seen >= from + limit) {
        more = true;
        break;
      }
      if (seen++ < from) continue;
      const { kind: _kind, apiVersion: _apiVersion, ...rest } = o;
      items.push(rest);
    }
    const metadata: Record<string, string> = { resourceVersion: String(listRevision) };
    if (more) metadata.continue = Buffer.from(`${listRevision}:${from + limit}`).toString('base64url');
    sendJson(res, 200, { kind: `${resource.kind}List`, apiVersion: resource.apiVersion, metadata, items });
  }

  private watch(
    res: ServerResponse,
    resource: Resource,
    namespace: string | undefined,
    matches: (o: ApiObject) => boolean,
    query: Record<string, string>,
  ): void {
    if (res.destroyed) return;
    const from = query.resourceVersion ? Number(query.resourceVersion) : undefined;
    const gone = from !== undefined && from < this.compacted;
    if (gone && this.options.goneAs === 'status') {
      sendJson(res, 410, status(410, 'Gone', `too old resource version: ${from} (${this.compacted})`));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // Headers go out now: the client's fetch resolves on them, before any event.
    res.flushHeaders();
    if (gone) {
      const object = status(410, 'Expired', `too old resource version: ${from} (${this.compacted})`);
      res.end(`${JSON.stringify({ type: 'ERROR', object })}\n`);
      return;
    }
    const watcher: Watcher = { resource, namespace, matches, res };
    if (from === undefined || from === 0) {
      // No resourceVersion: the API server starts with synthetic ADDED events for the current state.
      for (const object of this.objects.get(resource.kind)!.values()) {
        this.send(watcher, { rv: 0, kind: resource.kind, type: 'ADDED', object, previous: undefined });
      }
    } else {
      for (const event of this.history) {
        if (event.rv > from && event.kind === resource.kind) this.send(watcher, event);
      }
    }
    this.watchers.add(watcher);
    res.on('close', () => this.watchers.delete(watcher));
  }
}

/** Starts a test API server on 127.0.0.1 (port 0 unless `options.port`). Close it with `stop()`. */
export async function startK8sApiServer(options: K8sApiServerOptions = {}): Promise<K8sApiServer> {
  const server = new K8sApiServer(options);
  await server.start();
  return server;
}
