import type { DirectiveTokens } from '../../corefile/types.js';
import { expectNothing } from '../../plugin-kit/setup-helpers.js';

/** `minimal` takes no arguments and no block. */
export function parseMinimal(directive: DirectiveTokens): undefined {
  expectNothing(directive);
  return undefined;
}
