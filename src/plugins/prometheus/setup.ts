import type { DirectiveTokens } from '../../corefile/types.js';
import { parseAddress } from '../health/setup.js';
import type { PrometheusOptions } from './prometheus.js';

/**
 * `prometheus [ADDRESS]`. CoreDNS's `tls` and `runtime_metrics` options are recognised and
 * rejected as not supported by dnskit yet; anything else is an unknown option, as in CoreDNS.
 */
export function parsePrometheus(directive: DirectiveTokens): PrometheusOptions {
  const [first, second] = directive.args;
  if (second !== undefined) throw directive.argError(second);
  for (const line of directive.block) {
    const name = line.name.text;
    if (name === 'tls' || name === 'runtime_metrics') {
      throw directive.error(`the '${name}' option is not supported by dnskit yet`, line.name);
    }
    throw directive.error(`unknown option: ${name}`, line.name);
  }
  return first === undefined ? {} : { address: parseAddress(directive, first) };
}
