/**
 * The Kubernetes API-server cluster source.
 * @module
 */

import type { ClusterSource } from '../types.js';
import { ApiSource, type ApiSourceOptions } from './api-source.js';

export type { ApiSourceOptions, ApiSourceTuning } from './api-source.js';
export type { BackoffOptions } from './backoff.js';
export { backoffDelay } from './backoff.js';

/**
 * A {@link ClusterSource} fed by the Kubernetes API server: paged lists and watches (client-node's
 * `Watch`) of Services, EndpointSlices, Namespaces and, with `watchPods`, Pods, converted straight
 * into the store's records (no object cache). `@kubernetes/client-node` is imported by `start()`,
 * not by this module.
 *
 * - Configuration: `kubeconfig` (path and context), else `endpoint` (+ `token`, `tls`), else the
 *   in-cluster service account; `start()` rejects when none applies.
 * - Selectors go to the API server: `labelSelector` for services, EndpointSlices and pods,
 *   `namespaceLabelSelector` for namespaces (so `store.namespace(name)` exists only for matching
 *   namespaces, which is how the plugin applies `namespace_labels`, as CoreDNS does). Watches are
 *   cluster-wide; the `namespaces` filter drops other namespaces' objects on arrival.
 * - Failures never throw: every list or watch error goes to the `error` event or the logger, and
 *   the kind restarts after an exponential backoff with jitter. A 410 Gone relists. Every list
 *   (initial, after 410, after a restart, every `resyncMs`) is paged (500 items) and replaces the
 *   kind's records at once.
 * - `synced()` turns true (and `synced` fires) once every kind has been listed once.
 */
export function apiCluster(options: ApiSourceOptions): ClusterSource {
  return new ApiSource(options);
}
