import { parseAddress } from './hosts-file.js';

const v4Suffix = '.in-addr.arpa.';
const v6Suffix = '.ip6.arpa.';

/**
 * The address a full reverse name stands for, in canonical text (`1.0.0.10.in-addr.arpa.` ->
 * `10.0.0.1`, RFC 1035 3.5; 32 nibbles under `ip6.arpa.` -> IPv6, RFC 3596 2.5), or undefined for
 * any other name, including partial ones (`0.10.in-addr.arpa.`).
 */
export function addressFromReverse(name: string): string | undefined {
  if (name.endsWith(v4Suffix)) {
    const labels = name.slice(0, -v4Suffix.length).split('.');
    if (labels.length !== 4) return undefined;
    return parseAddress(labels.reverse().join('.'))?.text;
  }
  if (name.endsWith(v6Suffix)) {
    const nibbles = name.slice(0, -v6Suffix.length).split('.');
    if (nibbles.length !== 32 || nibbles.some((n) => !/^[0-9a-f]$/i.test(n))) return undefined;
    const hex = nibbles.reverse().join('');
    const groups: string[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(hex.slice(i, i + 4));
    return parseAddress(groups.join(':'))?.text;
  }
  return undefined;
}
