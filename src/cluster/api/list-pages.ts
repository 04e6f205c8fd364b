/**
 * Paginated lists, converted page by page: a kind's list never exists whole, neither as a response
 * body nor as API objects; only the store's compact records are collected.
 * @module
 */
import { request as httpRequest, STATUS_CODES } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { convert } from '../convert.js';
import type { ApiObserver, ClusterKind, ClusterRecordByKind, KubernetesObject } from '../types.js';
import type { ApiConnection, RequestSettings } from './connection.js';
import { statusOf } from './http-status.js';
import { splitList } from './list-items.js';
import { timeRequest } from './observe.js';

/** What to list and watch for one kind. */
export interface KindSpec {
  readonly kind: ClusterKind;
  /** The collection path, cluster-wide (`/api/v1/services`). */
  readonly path: string;
  readonly labelSelector: string | undefined;
  readonly fieldSelector: string | undefined;
  /** False for objects the store must not get (namespaces outside the `namespaces` filter). */
  readonly keep: (object: KubernetesObject) => boolean;
}

/** The items per page, as client-go's reflector pages its lists. */
export const PAGE_SIZE = 500;
/** A page that takes longer than this fails the list (and the list is retried with backoff). */
const PAGE_TIMEOUT_MS = 60_000;
/** Fresh lists after an expired continue token before the failure is reported. */
const MAX_EXPIRED_RESTARTS = 3;

/** An HTTP error from the API server; `statusCode` is what client-node's errors carry too. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function apiError(status: number, body: string): ApiError {
  let message = STATUS_CODES[status] ?? 'error';
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // Not a Status object: keep the reason phrase.
  }
  return new ApiError(message, status);
}

/**
 * GETs a document as text; rejects on non-200 answers, on timeouts and when `signal` aborts.
 *
 * The body is decoded as it arrives and kept as a string, in V8's heap, rather than gathered into
 * a Buffer: a megabyte page buffer comes from the C allocator, whose heap fragments under a list
 * of many pages and keeps that memory for the life of the process (10 to 20 MB of RSS after the
 * initial sync of a 10,000-service cluster). V8 gives its own garbage back.
 */
export function getBody(url: URL, settings: RequestSettings, signal: AbortSignal): Promise<string> {
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        agent: settings.agent,
        headers: { ...settings.headers, accept: 'application/json' },
        ...(settings.auth === undefined ? {} : { auth: settings.auth }),
        signal,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('error', reject);
        res.on('end', () => {
          if (res.statusCode === 200) resolve(body);
          else reject(apiError(res.statusCode ?? 0, body));
        });
      },
    );
    req.setTimeout(PAGE_TIMEOUT_MS, () =>
      req.destroy(new Error(`list page timed out after ${PAGE_TIMEOUT_MS} ms`)),
    );
    req.on('error', reject);
    req.end();
  });
}

/** The records of a whole list, and the resourceVersion to watch from. */
export interface ListResult<K extends ClusterKind> {
  readonly records: ClusterRecordByKind[K][];
  readonly resourceVersion: string;
}

interface PageMetadata {
  readonly resourceVersion: string;
  readonly continueToken: string | undefined;
}

function metadataOf(list: unknown): PageMetadata {
  const metadata = (typeof list === 'object' && list !== null ? list : {}) as {
    metadata?: { resourceVersion?: unknown; continue?: unknown };
  };
  const version = metadata.metadata?.resourceVersion;
  const token = metadata.metadata?.continue;
  return {
    resourceVersion: typeof version === 'string' ? version : '',
    continueToken: typeof token === 'string' && token !== '' ? token : undefined,
  };
}

/** Converts a page's items into `into`, one item at a time; returns the page's metadata. */
function readPage<K extends ClusterKind>(
  body: string,
  spec: KindSpec & { readonly kind: K },
  into: ClusterRecordByKind[K][],
): PageMetadata {
  const split = splitList(body);
  if (split === undefined) {
    // Not the expected shape: parse it whole (still one page).
    const list = JSON.parse(body) as { items?: unknown };
    if (Array.isArray(list.items)) for (const item of list.items) collect(spec, item, into);
    return metadataOf(list);
  }
  const { items } = split;
  for (let i = 0; i + 1 < items.length; i += 2) {
    collect(spec, JSON.parse(body.slice(items[i], items[i + 1])), into);
  }
  return metadataOf(JSON.parse(split.rest));
}

function pageUrl(server: string, spec: KindSpec, token: string | undefined): URL {
  const url = new URL(server + spec.path);
  url.searchParams.set('limit', String(PAGE_SIZE));
  if (spec.labelSelector !== undefined) url.searchParams.set('labelSelector', spec.labelSelector);
  if (spec.fieldSelector !== undefined) url.searchParams.set('fieldSelector', spec.fieldSelector);
  if (token !== undefined) url.searchParams.set('continue', token);
  return url;
}

/** {@link getBody}, reported to the observer unless it was aborted (stopped, not failed). */
async function timedBody(
  url: URL,
  settings: RequestSettings,
  signal: AbortSignal,
  observer: ApiObserver | undefined,
): Promise<string> {
  const done = timeRequest(observer, url.host);
  try {
    const body = await getBody(url, settings, signal);
    done();
    return body;
  } catch (error) {
    if (!signal.aborted) done(error);
    throw error;
  }
}

/**
 * Lists a kind page by page (`limit` + `continue`), converting each page's items to records and
 * dropping the page. A continue token that expired (410, the list outlived etcd's compaction)
 * starts the list over, as client-go's pager does (it relists unpaginated; here pages are kept).
 */
export async function listAll<K extends ClusterKind>(
  connection: ApiConnection,
  spec: KindSpec & { readonly kind: K },
  signal: AbortSignal,
  observer?: ApiObserver,
): Promise<ListResult<K>> {
  const settings = await connection.settings(true);
  try {
    for (let restarts = 0; ; restarts++) {
      const records: ClusterRecordByKind[K][] = [];
      let token: string | undefined;
      try {
        let resourceVersion = '';
        do {
          const url = pageUrl(connection.server, spec, token);
          const page = readPage(await timedBody(url, settings, signal, observer), spec, records);
          resourceVersion = page.resourceVersion;
          token = page.continueToken;
        } while (token !== undefined);
        return { records, resourceVersion };
      } catch (error) {
        const expired = token !== undefined && statusOf(error) === 410;
        if (!expired || restarts >= MAX_EXPIRED_RESTARTS) throw error;
      }
    }
  } finally {
    settings.agent.destroy();
  }
}

function collect<K extends ClusterKind>(
  spec: KindSpec & { readonly kind: K },
  item: unknown,
  into: ClusterRecordByKind[K][],
): void {
  if (typeof item !== 'object' || item === null) return;
  const object = item as KubernetesObject;
  if (!spec.keep(object)) return;
  const record = convert(spec.kind, object);
  if (record !== undefined) into.push(record);
}
