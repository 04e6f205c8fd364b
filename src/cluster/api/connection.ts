/**
 * The connection to the API server: its URL and, per request, an agent (TLS material) and headers
 * (credentials).
 *
 * A kubeconfig file (the `kubeconfig` option, or `KUBECONFIG` outside a cluster) goes through
 * client-node's `KubeConfig`, which knows every auth provider a kubeconfig can name (exec, OIDC,
 * cloud plugins). An `endpoint` (with `token` and `tls` files) and the in-cluster service account
 * need none of that, and importing `KubeConfig` costs ~28 MB of heap (it pulls in the generated
 * API client: 21 MB of JavaScript whose sources V8 keeps): for those two, the connection is built
 * here from the same files client-node reads, re-read on every request so rotated tokens and
 * certificates are picked up as client-node does.
 * @module
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ApiClusterOptions } from '../types.js';
import { buildKubeConfig, type KubeConfigOrigin } from './kube-config.js';

/** What one request (or one paged list) needs beyond its URL. */
export interface RequestSettings {
  readonly agent: HttpAgent;
  readonly headers: Readonly<Record<string, string>>;
  /** `user:password` (basic auth from a kubeconfig). */
  readonly auth: string | undefined;
}

/** A configured API server. */
export interface ApiConnection {
  /** Base URL, without a trailing slash. */
  readonly server: string;
  readonly origin: KubeConfigOrigin;
  /**
   * Fresh settings (credentials read now). With `keepAlive`, the agent reuses its connections
   * (the pages of one list); the caller destroys it when done.
   */
  settings(keepAlive: boolean): Promise<RequestSettings>;
  /** What client-node's `Watch` takes as its configuration. */
  readonly watchConfig: KubeConfig;
}

/** Where the service account's files are mounted in a pod. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The connection for the options, chosen as CoreDNS does: a kubeconfig file when given, else an
 * explicit `endpoint`, else the in-cluster service account, else (dnskit extension) the first file
 * of `KUBECONFIG`. Rejects when none applies. `serviceAccountDir` is for tests.
 */
export async function openConnection(
  options: ApiClusterOptions,
  serviceAccountDir = SERVICE_ACCOUNT_DIR,
): Promise<ApiConnection> {
  if (options.kubeconfig !== undefined) return fromKubeConfig(options);
  if (options.endpoint !== undefined) return endpointConnection(options.endpoint, options);
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT;
  if (host !== undefined && port !== undefined) return inClusterConnection(host, port, serviceAccountDir);
  // Outside a cluster: buildKubeConfig uses KUBECONFIG, or throws the setup error.
  return fromKubeConfig(options);
}

async function fromKubeConfig(options: ApiClusterOptions): Promise<ApiConnection> {
  const k8s = await import('@kubernetes/client-node');
  const { config, origin } = buildKubeConfig(k8s, options);
  const server = (config.getCurrentCluster()?.server ?? '').replace(/\/+$/, '');
  return {
    server,
    origin,
    watchConfig: config,
    async settings() {
      const request: RequestOptions = {};
      await config.applyToHTTPSOptions(request);
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(request.headers ?? {})) {
        if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : String(value);
      }
      if (!(request.agent instanceof HttpAgent)) throw new Error('kubeconfig: no HTTP agent for the cluster');
      return { agent: request.agent, headers, auth: request.auth ?? undefined };
    },
  };
}

function readOptional(path: string | undefined): Buffer | undefined {
  return path === undefined ? undefined : readFileSync(path);
}

/** A connection from a server URL and credential readers, with the adapter client-node's Watch uses. */
function lightConnection(
  server: string,
  origin: KubeConfigOrigin,
  settings: (keepAlive: boolean) => RequestSettings,
): ApiConnection {
  const watchConfig = {
    getCurrentCluster: () => ({ name: 'dnskit', server, skipTLSVerify: false }),
    // A watch is one long request: no keep-alive, its socket closes with it.
    applyToFetchOptions: async () => {
      const { agent, headers } = settings(false);
      return { agent, headers: { ...headers } };
    },
  };
  return {
    server,
    origin,
    settings: async (keepAlive) => settings(keepAlive),
    // Watch only calls these two methods of its KubeConfig (client-node 1.4.0 `watch.js`); a real
    // KubeConfig is what this module avoids loading.
    watchConfig: watchConfig as unknown as KubeConfig,
  };
}

function endpointConnection(endpoint: string, options: ApiClusterOptions): ApiConnection {
  const server = endpoint.replace(/\/+$/, '');
  const { tls, token } = options;
  return lightConnection(server, 'endpoint', (keepAlive) => {
    const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
    if (server.startsWith('http://'))
      return { agent: new HttpAgent({ keepAlive }), headers, auth: undefined };
    const ca = readOptional(tls?.ca);
    const cert = readOptional(tls?.cert);
    const key = readOptional(tls?.key);
    const agent = new HttpsAgent({
      keepAlive,
      ...(ca === undefined ? {} : { ca }),
      ...(cert === undefined ? {} : { cert }),
      ...(key === undefined ? {} : { key }),
    });
    return { agent, headers, auth: undefined };
  });
}

function inClusterConnection(host: string, port: string, dir: string): ApiConnection {
  // An IPv6 service host needs brackets in a URL, as client-go's rest.InClusterConfig adds them.
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return lightConnection(server, 'in-cluster', (keepAlive) => {
    // Both files are re-read for every list and watch: the kubelet rotates the projected token.
    const token = readFileSync(`${dir}/token`, 'utf8').trim();
    const agent = new HttpsAgent({ keepAlive, ca: readFileSync(`${dir}/ca.crt`) });
    return { agent, headers: { authorization: `Bearer ${token}` }, auth: undefined };
  });
}
