import type { DirectiveTokens, Token } from '../../corefile/types.js';
import { parseDuration } from '../../plugin-kit/duration.js';
import type { ReloadOptions } from './reload.js';

const minIntervalMs = 2000;
const minJitterMs = 1000;

function duration(directive: DirectiveTokens, token: Token): number {
  const ms = parseDuration(token.text);
  if (ms === undefined) throw directive.error(`time: invalid duration "${token.text}"`, token);
  return ms;
}

/** `reload [INTERVAL] [JITTER]`: at least 2s and 1s, as CoreDNS requires; JITTER is capped at INTERVAL/2. */
export function parseReload(directive: DirectiveTokens): ReloadOptions {
  const [intervalToken, jitterToken, extra] = directive.args;
  if (extra !== undefined) throw directive.argError(extra);
  if (directive.block.length > 0) throw directive.argError(directive.args.at(-1) ?? directive.name);
  let intervalMs = 30_000;
  let jitterMs = 15_000;
  if (intervalToken !== undefined) {
    intervalMs = duration(directive, intervalToken);
    if (intervalMs < minIntervalMs) {
      throw directive.error('interval value must be greater or equal to 2s', intervalToken);
    }
  }
  if (jitterToken !== undefined) {
    jitterMs = duration(directive, jitterToken);
    if (jitterMs < minJitterMs)
      throw directive.error('jitter value must be greater or equal to 1s', jitterToken);
  }
  return { intervalMs, jitterMs: Math.min(jitterMs, intervalMs / 2) };
}
