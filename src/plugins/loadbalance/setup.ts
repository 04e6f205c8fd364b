import type { DirectiveTokens } from '../../corefile/types.js';
import type { LoadbalanceOptions } from './loadbalance.js';

/** `loadbalance [round_robin | weighted WEIGHTFILE {...}]`; `weighted` is not implemented yet. */
export function parseLoadbalance(directive: DirectiveTokens): LoadbalanceOptions {
  const [policy, extra] = directive.args;
  if (policy === undefined) {
    if (directive.block.length > 0) throw directive.argError(directive.name);
    return { policy: 'round_robin' };
  }
  if (policy.text === 'round_robin') {
    if (extra !== undefined) throw directive.error(`unknown property for ${policy.text}`, extra);
    if (directive.block.length > 0) throw directive.argError(policy);
    return { policy: 'round_robin' };
  }
  if (policy.text === 'weighted') {
    throw directive.error("the 'weighted' policy is not supported by dnskit yet", policy);
  }
  throw directive.error(`unknown policy: ${policy.text}`, policy);
}
