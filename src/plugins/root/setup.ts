import type { DirectiveTokens } from '../../corefile/types.js';

/** `root PATH`: exactly one argument, no block. */
export function parseRoot(directive: DirectiveTokens): string {
  const [path, extra] = directive.args;
  if (path === undefined || extra !== undefined || directive.block.length > 0) {
    throw directive.argError(extra ?? path ?? directive.name);
  }
  return path.text;
}
