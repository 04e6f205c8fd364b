import type { PluginDefinition } from '../../corefile/types.js';
import { type ForwardOptions, forward } from './forward.js';
import { parseForward } from './setup.js';

export {
  parseUpstreamAddress,
  type UpstreamAddress,
  type UpstreamProtocol,
} from './address.js';
export { type ForwardOptions, type ForwardTlsOptions, forward } from './forward.js';
export type { PolicyName } from './policy.js';

/**
 * The `forward` directive: `forward FROM TO... { except, force_tcp, prefer_udp, expire, max_fails,
 * max_concurrent, tls, tls_servername, policy, health_check, next, failfast_all_unhealthy_upstreams }`.
 * Each line is its own plugin, so several lines chain in file order, as in CoreDNS.
 */
export const forwardDefinition: PluginDefinition<ForwardOptions> = {
  name: 'forward',
  parse: parseForward,
  create: forward,
};
