import { isIP } from 'node:net';
import { pluginZones } from '../../corefile/plugin-zones.js';
import type { DirectiveTokens, Token } from '../../corefile/types.js';
import type { TransferRule, TransferTarget } from './transfer.js';

/** `ADDRESS`, `ADDRESS:PORT` or `[IPv6]:PORT`, port 53 by default (also used by `secondary`). */
export function parseAddressPort(directive: DirectiveTokens, token: Token): TransferTarget {
  const text = token.text;
  if (isIP(text) !== 0) return { address: text, port: 53 };
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text);
  const address = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (address === undefined || isIP(address) === 0 || port < 1 || port > 65535) {
    throw directive.error(`not an IP address: '${text}'`, token);
  }
  return { address, port };
}

function parseTarget(directive: DirectiveTokens, token: Token): TransferTarget | '*' {
  return token.text === '*' ? '*' : parseAddressPort(directive, token);
}

/** `transfer [ZONES...] { to ADDRESS... }`; `to` may repeat, `*` allows every client. */
export function parseTransfer(directive: DirectiveTokens): TransferRule[] {
  const to: (TransferTarget | '*')[] = [];
  for (const line of directive.block) {
    if (line.name.text !== 'to') throw directive.error(`unknown property '${line.name.text}'`, line.name);
    if (line.args.length === 0) throw directive.argError(line.name);
    for (const token of line.args) to.push(parseTarget(directive, token));
  }
  if (to.length === 0) throw directive.error("'to' is required", directive.name);
  return [{ zones: pluginZones(directive), to }];
}
