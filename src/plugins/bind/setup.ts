import { networkInterfaces } from 'node:os';
import type { DirectiveLine, DirectiveTokens, Token } from '../../corefile/types.js';
import type { BindOptions } from './bind.js';
import { type InterfaceTable, isBindTarget } from './interfaces.js';

function checkTargets(directive: DirectiveTokens, tokens: readonly Token[], table: InterfaceTable): string[] {
  for (const token of tokens) {
    if (!isBindTarget(token.text, table)) {
      throw directive.error(`not a valid IP address or interface name: "${token.text}"`, token);
    }
  }
  return tokens.map((token) => token.text);
}

function parseExcept(directive: DirectiveTokens, line: DirectiveLine, table: InterfaceTable): string[] {
  if (line.name.text !== 'except') throw directive.error(`invalid option "${line.name.text}"`, line.name);
  if (line.args.length === 0) {
    throw directive.error(
      'at least one address or interface must be given to except subdirective',
      line.name,
    );
  }
  if (line.block.length > 0) throw directive.argError(line.name);
  return checkTargets(directive, line.args, table);
}

/**
 * `bind ADDRESS|INTERFACE... { except ADDRESS|INTERFACE... }`. Arguments are checked here, against
 * the interfaces the host has now, so that a typo fails at its line; they are resolved to
 * addresses when the server is built.
 */
export function parseBind(
  directive: DirectiveTokens,
  interfaces: () => InterfaceTable = networkInterfaces as () => InterfaceTable,
): BindOptions {
  if (directive.args.length === 0) {
    throw directive.error('at least one address or interface name is expected', directive.name);
  }
  const table = interfaces();
  const addresses = checkTargets(directive, directive.args, table);
  const except = directive.block.flatMap((line) => parseExcept(directive, line, table));
  return except.length > 0 ? { addresses, except } : { addresses };
}
