import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import type { BlockSettings, DnsContext, Next, Plugin, PluginEnv } from '../../core/types.js';
import { type HttpRoute, serveHttp } from '../../metrics/http-endpoint.js';
import type { DnsMessage } from '../../wire/types.js';
import { collectorOf, exposition, processMetrics, type ServerCollector } from './collector.js';

/** Options of {@link prometheus}. */
export interface PrometheusOptions {
  /** Where `/metrics` is served; default `localhost:9153`. Port 0 picks a free port. */
  readonly address?: string;
}

/** The `prometheus` plugin, with the bound address for tests and embedders. */
export interface PrometheusPlugin extends Plugin {
  /** The address `/metrics` is served on once started (the real port when 0 was asked). */
  address(): AddressInfo | undefined;
}

/** Directives CoreDNS does not add to the chain, so absent from `coredns_plugin_enabled`. */
const notHandlers = new Set(['bind', 'reload', 'health', 'ready']);

/** The server registries served on each address: every server whose block names the address. */
const served = new Map<string, Map<Registry, number>>();

function addServed(address: string, registry: Registry): void {
  const set = served.get(address) ?? new Map<Registry, number>();
  set.set(registry, (set.get(registry) ?? 0) + 1);
  served.set(address, set);
}

function removeServed(address: string, registry: Registry): void {
  const set = served.get(address);
  const uses = set?.get(registry);
  if (set === undefined || uses === undefined) return;
  if (uses > 1) set.set(registry, uses - 1);
  else set.delete(registry);
  if (set.size === 0) served.delete(address);
}

/** CoreDNS's `server` label: `dns://:53`, or with `bind` the address, `dns://127.0.0.1:53`. */
function serverLabel(explicit: boolean, address: string, port: number): string {
  if (!explicit) return `dns://:${port}`;
  return address.includes(':') ? `dns://[${address}]:${port}` : `dns://${address}:${port}`;
}

/**
 * Prometheus metrics, as CoreDNS's *prometheus*: counts the queries of its server block with
 * CoreDNS's metric names and labels, and serves `GET /metrics` with everything the server's
 * registry holds (other plugins' metrics too) plus the process metrics. Several servers naming one
 * address share one endpoint; same-named metrics are merged.
 */
export function prometheus(options: PrometheusOptions = {}): PrometheusPlugin {
  const address = options.address ?? 'localhost:9153';
  let settings: Readonly<BlockSettings> | undefined;
  let collector: ServerCollector | undefined;
  let registry: Registry | undefined;
  let route: HttpRoute | undefined;
  const owner = {};
  // `server` label per listener address and port, so that no label string is built per query.
  const labels = new Map<number, Map<string, string>>();
  const labelOf = (ctx: DnsContext): string => {
    const { address, port } = ctx.local;
    let byAddress = labels.get(port);
    if (byAddress === undefined) {
      byAddress = new Map();
      labels.set(port, byAddress);
    }
    let label = byAddress.get(address);
    if (label === undefined) {
      label = serverLabel((settings?.listen.length ?? 0) > 0, address, port);
      byAddress.set(address, label);
    }
    return label;
  };
  return {
    name: 'prometheus',
    configure(block) {
      settings = block;
    },
    handle(ctx: DnsContext, next: Next) {
      const dns = collector?.dns;
      if (dns !== undefined) {
        ctx.onSent((size: number, response: DnsMessage) => dns.record(labelOf(ctx), ctx, size, response));
      }
      return next();
    },
    async start(env: PluginEnv) {
      registry = env.metrics;
      collector = collectorOf(registry);
      addServed(address, registry);
      const processRegistry = processMetrics();
      try {
        route = await serveHttp(address, '/metrics', async (_request, response) => {
          const text = await exposition([processRegistry, ...(served.get(address)?.keys() ?? [])]);
          response.writeHead(200, { 'content-type': Registry.PROMETHEUS_CONTENT_TYPE }).end(text);
        });
      } catch (error) {
        removeServed(address, registry);
        throw error;
      }
      const current = collector;
      void env.listening.then((addresses) => enablePlugins(current, owner, env, settings, addresses));
    },
    async stop() {
      collector?.enabled.delete(owner);
      if (registry !== undefined) removeServed(address, registry);
      const current = route;
      route = undefined;
      await current?.release();
    },
    address: () => route?.bound,
  };
}

/** Sets `coredns_plugin_enabled` for each listen address, zone and chain plugin of the block. */
function enablePlugins(
  collector: ServerCollector,
  owner: object,
  env: PluginEnv,
  settings: Readonly<BlockSettings> | undefined,
  addresses: readonly { address: string; port: number; transport: string }[],
): void {
  const explicit = (settings?.listen.length ?? 0) > 0;
  const servers = new Set(
    addresses
      .filter((a) => a.transport === 'udp' || a.transport === 'tcp')
      .map((a) => serverLabel(explicit, a.address, a.port)),
  );
  const names = env.chain.map((p) => p.name).filter((name) => !notHandlers.has(name));
  const samples = [...servers].flatMap((server) =>
    env.zones.flatMap((zone) =>
      names.map((name) => ({ labels: { server, zone, view: '', name }, value: 1 })),
    ),
  );
  collector.enabled.set(owner, samples);
}
