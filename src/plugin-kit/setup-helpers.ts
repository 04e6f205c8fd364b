import type { DirectiveTokens } from '../corefile/types.js';

/**
 * Rejects any argument or block, for directives that take none (`whoami`, `any`, `minimal`).
 * A block's `{` sits on the directive's line, so that is where the error points.
 */
export function expectNothing(directive: DirectiveTokens): void {
  const firstArg = directive.args[0];
  if (firstArg !== undefined) throw directive.argError(firstArg);
  if (directive.block.length > 0) throw directive.argError(directive.name);
}
