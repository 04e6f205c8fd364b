import type { PluginDefinition } from '../../corefile/types.js';
import { type HostsOptions, hosts } from './hosts.js';
import { parseHosts } from './setup.js';

export { type HostsOptions, type HostsPlugin, type HostsTimers, hosts } from './hosts.js';
export { type HostsTable, type ParseHostsOptions, parseHosts as parseHostsFile } from './hosts-file.js';

/** The `hosts` directive (once per server block, as in CoreDNS). */
export const hostsDefinition: PluginDefinition<HostsOptions> = {
  name: 'hosts',
  once: true,
  parse: parseHosts,
  create: (options) => hosts(options),
};
