import type { DirectiveTokens } from '../../corefile/types.js';
import { expectNothing } from '../../plugin-kit/setup-helpers.js';

/** `whoami` takes no arguments and no block. */
export function parseWhoami(directive: DirectiveTokens): undefined {
  expectNothing(directive);
  return undefined;
}
