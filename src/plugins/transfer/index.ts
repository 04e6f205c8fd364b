import type { PluginDefinition } from '../../corefile/types.js';
import { parseTransfer } from './setup.js';
import { type TransferRule, transfer } from './transfer.js';

export { messageBudget, packRecords } from './pack.js';
export { serialLess } from './serial.js';
export { type TransferRule, type TransferTarget, transfer } from './transfer.js';

/** The `transfer` directive; several lines in one block make one plugin, as in CoreDNS. */
export const transferDefinition: PluginDefinition<readonly TransferRule[]> = {
  name: 'transfer',
  parse: parseTransfer,
  combine: (lines) => lines.flat(),
  create: (rules) => transfer(rules),
};
