/** SVCB/HTTPS SvcParams in presentation form (RFC 9460 2.1, 7). */
import { parseIPv4Into, parseIPv6Into } from '../../wire/ip.js';
import type { Octets } from './opaque.js';
import type { RDataTokens } from './rdata.js';
import { stringOctets } from './values.js';

const KEYS: Readonly<Record<string, number>> = {
  mandatory: 0,
  alpn: 1,
  'no-default-alpn': 2,
  port: 3,
  ipv4hint: 4,
  ech: 5,
  ipv6hint: 6,
};

function keyNumber(t: RDataTokens, key: string): number {
  const known = KEYS[key];
  if (known !== undefined) return known;
  const match = /^key(\d{1,5})$/.exec(key);
  if (match === null || Number(match[1]) > 0xffff) throw t.error(`${t.type}: unknown SvcParamKey '${key}'`);
  return Number(match[1]);
}

/** Splits a value list on commas not escaped with a backslash (RFC 9460 A.1). */
function splitList(value: string): string[] {
  const items: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length) {
      current += c + value[++i];
    } else if (c === ',') {
      items.push(current);
      current = '';
    } else current += c;
  }
  items.push(current);
  return items;
}

function listOf(
  t: RDataTokens,
  value: string,
  size: number,
  parse: (item: string, out: Uint8Array) => boolean,
): Uint8Array {
  const items = splitList(value);
  const bytes = new Uint8Array(items.length * size);
  items.forEach((item, i) => {
    if (!parse(item, bytes.subarray(i * size))) throw t.error(`${t.type}: bad address '${item}'`);
  });
  return bytes;
}

function valueOctets(t: RDataTokens, key: number, value: string | undefined): Uint8Array {
  if (key === 2) {
    if (value !== undefined && value !== '') throw t.error(`${t.type}: no-default-alpn takes no value`);
    return new Uint8Array(0);
  }
  if (value === undefined) throw t.error(`${t.type}: SvcParam key${key} needs a value`);
  switch (key) {
    case 0: {
      const keys = splitList(value)
        .map((name) => keyNumber(t, name))
        .sort((a, b) => a - b);
      return Uint8Array.from(keys.flatMap((k) => [k >> 8, k & 0xff]));
    }
    case 1:
      return Uint8Array.from(
        splitList(value).flatMap((id) => {
          const octets = stringOctets(id, t.line);
          return [octets.length, ...octets];
        }),
      );
    case 3: {
      if (!/^\d{1,5}$/.test(value) || Number(value) > 0xffff) throw t.error(`${t.type}: bad port '${value}'`);
      return Uint8Array.of(Number(value) >> 8, Number(value) & 0xff);
    }
    case 4:
      return listOf(t, value, 4, (item, out) => parseIPv4Into(item, out, 0));
    case 5:
      return Uint8Array.from(Buffer.from(value, 'base64'));
    case 6:
      return listOf(t, value, 16, (item, out) => parseIPv6Into(item, out, 0));
    default:
      return stringOctets(value, t.line);
  }
}

/** Reads `key[=value]` tokens to the end of the RDATA and writes them sorted by key. */
export function parseSvcParams(t: RDataTokens, out: Octets): void {
  const params = new Map<number, Uint8Array>();
  while (t.remaining > 0) {
    const token = t.next('a SvcParam');
    const eq = token.indexOf('=');
    const key = keyNumber(t, eq < 0 ? token : token.slice(0, eq));
    let value = eq < 0 ? undefined : token.slice(eq + 1);
    // `alpn="h2,h3"`: the quoted value is a token of its own.
    if (value === '' && t.remaining > 0 && t.quoted[t.index]) value = t.next('a value');
    if (params.has(key)) throw t.error(`${t.type}: SvcParam key${key} given twice`);
    params.set(key, valueOctets(t, key, value));
  }
  for (const key of [...params.keys()].sort((a, b) => a - b)) {
    const value = params.get(key)!;
    out.u16(key);
    out.u16(value.length);
    out.bytes(value);
  }
}
