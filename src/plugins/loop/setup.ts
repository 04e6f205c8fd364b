import type { DirectiveTokens } from '../../corefile/types.js';
import { expectNothing } from '../../plugin-kit/setup-helpers.js';
import type { LoopOptions } from './loop.js';

/** `loop`: no arguments; the probe lives in the block's first zone, as CoreDNS picks it. */
export function parseLoop(directive: DirectiveTokens): LoopOptions {
  expectNothing(directive);
  return { zone: directive.serverBlock.zones[0] ?? '.' };
}
