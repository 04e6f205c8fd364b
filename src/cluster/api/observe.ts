/**
 * Reports of API requests to an {@link ApiObserver}: the `kubernetes` plugin turns them into
 * CoreDNS's `coredns_kubernetes_rest_client_*` metrics.
 * @module
 */
import type { ApiObserver } from '../types.js';
import { statusOf } from './http-status.js';

/**
 * Starts timing one request to `host`; the returned function ends it, once (later calls do
 * nothing): with nothing for a success (200), or with the error it failed with.
 */
export function timeRequest(observer: ApiObserver | undefined, host: string): (error?: unknown) => void {
  const report = observer?.request;
  if (report === undefined) return () => undefined;
  const started = performance.now();
  let pending = true;
  return (error) => {
    if (!pending) return;
    pending = false;
    const code = error === undefined || error === null ? '200' : String(statusOf(error) ?? '<error>');
    report.call(observer, { method: 'GET', host, code, seconds: (performance.now() - started) / 1000 });
  };
}
