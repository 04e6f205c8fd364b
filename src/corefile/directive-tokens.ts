import { argumentError, CorefileError } from './errors.js';
import type { DirectiveLine, DirectiveTokens, ServerBlockInfo } from './types.js';

/** Wraps a directive line for its definition's `parse`, with located error helpers. */
export function directiveTokens(line: DirectiveLine, serverBlock: ServerBlockInfo): DirectiveTokens {
  return {
    name: line.name,
    args: line.args,
    block: line.block,
    serverBlock,
    error: (message, at) => new CorefileError(at ?? line.name, message),
    argError: (at) => argumentError(at ?? line.args[line.args.length - 1] ?? line.name),
  };
}
