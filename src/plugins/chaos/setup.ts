import type { DirectiveTokens } from '../../corefile/types.js';
import type { ChaosOptions } from './chaos.js';

/**
 * `chaos [VERSION] [AUTHORS...]`. Authors are de-duplicated and sorted, as CoreDNS does; with no
 * authors the defaults stay. A block is an error: the directive has no options.
 */
export function parseChaos(directive: DirectiveTokens): ChaosOptions {
  const blockLine = directive.block[0];
  if (blockLine !== undefined) throw directive.argError(blockLine.name);
  const [version, ...authors] = directive.args.map((token) => token.text);
  if (version === undefined) return {};
  if (authors.length === 0) return { version };
  return { version, authors: [...new Set(authors)].sort() };
}
