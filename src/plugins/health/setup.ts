import type { DirectiveTokens, Token } from '../../corefile/types.js';
import { splitHostPort } from '../../metrics/http-endpoint.js';
import { parseDuration } from '../../plugin-kit/duration.js';
import type { HealthOptions } from './health.js';

/** Checks a `host:port` argument as CoreDNS does (Go's `net.SplitHostPort`), located at the token. */
export function parseAddress(directive: DirectiveTokens, token: Token): string {
  const split = splitHostPort(token.text);
  if (typeof split === 'string') throw directive.error(split, token);
  return token.text;
}

/** `health [ADDRESS] { lameduck DURATION }`. */
export function parseHealth(directive: DirectiveTokens): HealthOptions {
  const [first, second] = directive.args;
  if (second !== undefined) throw directive.argError(second);
  let lameduckMs: number | undefined;
  for (const line of directive.block) {
    if (line.name.text !== 'lameduck') throw directive.argError(line.name);
    const [value, extra] = line.args;
    if (value === undefined || extra !== undefined || line.block.length > 0) {
      throw directive.argError(extra ?? line.name);
    }
    lameduckMs = parseDuration(value.text);
    if (lameduckMs === undefined) {
      throw directive.error(
        `unable to parse lameduck duration value: "${value.text}": time: invalid duration "${value.text}"`,
        value,
      );
    }
  }
  return {
    ...(first === undefined ? {} : { address: parseAddress(directive, first) }),
    ...(lameduckMs === undefined ? {} : { lameduckMs }),
  };
}
