import type { DirectiveTokens } from '../../corefile/types.js';
import { expectNothing } from '../../plugin-kit/setup-helpers.js';

/** `any` takes no arguments and no block (CoreDNS ignores them silently; we reject them). */
export function parseAny(directive: DirectiveTokens): undefined {
  expectNothing(directive);
  return undefined;
}
