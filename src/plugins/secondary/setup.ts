import { pluginZones } from '../../corefile/plugin-zones.js';
import type { DirectiveLine, DirectiveTokens } from '../../corefile/types.js';
import { parseAddressPort } from '../transfer/setup.js';
import type { TransferTarget } from '../transfer/transfer.js';
import type { SecondaryOptions } from './secondary.js';

function parseTransferLine(directive: DirectiveTokens, line: DirectiveLine): TransferTarget[] {
  const [direction, ...addresses] = line.args;
  if (direction === undefined || addresses.length === 0) throw directive.argError(direction ?? line.name);
  if (direction.text !== 'from') throw directive.error(`unknown property '${direction.text}'`, direction);
  return addresses.map((token) => parseAddressPort(directive, token));
}

/** `secondary [ZONES...] { transfer from ADDRESS [ADDRESS...] }`. */
export function parseSecondary(directive: DirectiveTokens): SecondaryOptions {
  const from: TransferTarget[] = [];
  for (const line of directive.block) {
    if (line.name.text !== 'transfer')
      throw directive.error(`unknown property '${line.name.text}'`, line.name);
    from.push(...parseTransferLine(directive, line));
  }
  if (from.length === 0) throw directive.error("'transfer from' is required", directive.name);
  return { zones: pluginZones(directive), from };
}
