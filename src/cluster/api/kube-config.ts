/**
 * Builds the client configuration the way CoreDNS's `kubernetes` plugin chooses it: a kubeconfig
 * file when given, else an explicit `endpoint`, else the in-cluster service account.
 * @module
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { ApiClusterOptions } from '../types.js';

/** The lazily imported `@kubernetes/client-node` module. */
export type KubeClientModule = typeof import('@kubernetes/client-node');

/** Where the configuration came from, for log lines. */
export type KubeConfigOrigin = 'kubeconfig' | 'endpoint' | 'in-cluster';

/**
 * A `KubeConfig` for the options. Throws when no source applies (no kubeconfig, no endpoint and
 * not running in a pod), as CoreDNS fails its setup outside a cluster without `endpoint`.
 */
export function buildKubeConfig(
  k8s: KubeClientModule,
  options: ApiClusterOptions,
): { config: KubeConfig; origin: KubeConfigOrigin } {
  const config = new k8s.KubeConfig();
  if (options.kubeconfig !== undefined) {
    config.loadFromFile(options.kubeconfig.path);
    if (options.kubeconfig.context !== undefined) config.setCurrentContext(options.kubeconfig.context);
    if (config.getCurrentCluster() === null) {
      throw new Error(`kubeconfig ${options.kubeconfig.path}: no cluster for the current context`);
    }
    // client-go (CoreDNS, kubectl) talks plain http to an http:// server; client-node refuses to
    // unless the cluster skips TLS verification, which is moot without TLS.
    config.clusters = config.clusters.map((c) =>
      c.server.startsWith('http://') && !c.skipTLSVerify ? { ...c, skipTLSVerify: true } : c,
    );
    return { config, origin: 'kubeconfig' };
  }
  if (options.endpoint !== undefined) {
    loadEndpoint(config, options.endpoint, options);
    return { config, origin: 'endpoint' };
  }
  if (
    process.env.KUBERNETES_SERVICE_HOST === undefined ||
    process.env.KUBERNETES_SERVICE_PORT === undefined
  ) {
    // dnskit extension: outside a cluster, the KUBECONFIG environment variable (first file) lets an
    // unchanged in-cluster Corefile run against any API server, as kubectl would reach it.
    const fromEnv = process.env.KUBECONFIG?.split(':').find((path) => path !== '');
    if (fromEnv !== undefined) return buildKubeConfig(k8s, { ...options, kubeconfig: { path: fromEnv } });
    throw new Error(
      'not running in a cluster (KUBERNETES_SERVICE_HOST unset) and no KUBECONFIG: set endpoint or kubeconfig',
    );
  }
  // The service account's token file is re-read by the client, so rotated tokens are picked up.
  config.loadFromCluster();
  return { config, origin: 'in-cluster' };
}

function loadEndpoint(config: KubeConfig, endpoint: string, options: ApiClusterOptions): void {
  const tls = options.tls;
  const server = endpoint.replace(/\/+$/, '');
  const cluster = {
    name: 'dnskit',
    server,
    // client-node refuses plain http unless told to skip verification: there is nothing to verify.
    skipTLSVerify: server.startsWith('http://'),
    ...(tls?.ca !== undefined ? { caFile: tls.ca } : {}),
  };
  const user = {
    name: 'dnskit',
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(tls?.cert !== undefined ? { certFile: tls.cert } : {}),
    ...(tls?.key !== undefined ? { keyFile: tls.key } : {}),
  };
  config.loadFromClusterAndUser(cluster, user);
}
