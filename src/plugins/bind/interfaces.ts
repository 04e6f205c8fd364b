import { isIP } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';

/** The host's interfaces, keyed by name, as `os.networkInterfaces()` returns them. */
export type InterfaceTable = Readonly<Record<string, readonly NetworkInterfaceInfo[] | undefined>>;

/** Thrown when an argument is neither an IP address nor an interface name. */
export class BindAddressError extends Error {
  constructor(readonly argument: string) {
    super(`not a valid IP address or interface name: "${argument}"`);
    this.name = 'BindAddressError';
  }
}

function isLinkLocalV6(address: string): boolean {
  return /^fe[89ab][0-9a-f]:/i.test(address);
}

/**
 * The addresses of one interface. IPv6 link-local addresses are only usable with a zone, so they
 * get `%<interface>` appended (newer CoreDNS does the same).
 */
function interfaceAddresses(name: string, infos: readonly NetworkInterfaceInfo[]): string[] {
  return infos.map((info) =>
    info.family === 'IPv6' && isLinkLocalV6(info.address) && !info.address.includes('%')
      ? `${info.address}%${name}`
      : info.address,
  );
}

/** True when the argument is an IP address (with an optional IPv6 zone) or an interface name. */
export function isBindTarget(argument: string, interfaces: InterfaceTable): boolean {
  return interfaces[argument] !== undefined || isIP(argument.split('%')[0] ?? '') !== 0;
}

/**
 * Expands interface names to their addresses and keeps IP addresses as written. A name that is an
 * interface wins over the same text read as an address, as in CoreDNS.
 */
export function resolveBindTargets(args: readonly string[], interfaces: InterfaceTable): string[] {
  const out: string[] = [];
  for (const argument of args) {
    const infos = interfaces[argument];
    if (infos !== undefined) out.push(...interfaceAddresses(argument, infos));
    else if (isBindTarget(argument, interfaces)) out.push(argument);
    else throw new BindAddressError(argument);
  }
  return out;
}
