/** Master-file values: TTLs, classes, types, names and character-strings (RFC 1035 5.1). */
import { classFromNumber, typeFromNumber, typeToNumber, validateName } from '../../wire/index.js';
import { LineError } from './lexer.js';

const TTL_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const MAX_TTL = 0x7fffffff;

/**
 * A TTL: plain seconds or BIND's unit form (`1h30m`, `2W`), or undefined when `text` is not one.
 * RFC 2181 8: at most 2^31 - 1.
 */
export function parseTtl(text: string, line: number): number | undefined {
  if (/^\d+$/.test(text)) return checkTtl(Number(text), text, line);
  if (!/^(\d+[smhdw])+$/i.test(text)) return undefined;
  let total = 0;
  for (const [, digits, unit] of text.matchAll(/(\d+)([smhdw])/gi)) {
    total += Number(digits) * TTL_UNITS[unit!.toLowerCase()]!;
  }
  return checkTtl(total, text, line);
}

function checkTtl(value: number, text: string, line: number): number {
  if (value > MAX_TTL) throw new LineError(line, `TTL '${text}' is over 2147483647`);
  return value;
}

const CLASS_NAMES: Readonly<Record<string, string>> = {
  IN: 'IN',
  CH: 'CH',
  CHAOS: 'CH',
  HS: 'HS',
  NONE: 'NONE',
  ANY: 'ANY',
};

/** The canonical mnemonic of a class token (`in`, `CHAOS`, `CLASS1`), or undefined. No exceptions: this runs per record. */
export function classOf(text: string): string | undefined {
  if (text.length > 10) return undefined;
  const upper = text.toUpperCase();
  const known = CLASS_NAMES[upper];
  if (known !== undefined) return known;
  if (!/^CLASS(0|[1-9]\d{0,4})$/.test(upper) || Number(upper.slice(5)) > 0xffff) return undefined;
  return classFromNumber(Number(upper.slice(5)));
}

const typeCache = new Map<string, string | null>();

/** The canonical mnemonic of a type token (`aaaa`, `TYPE28` -> `AAAA`), or undefined. */
export function typeOf(text: string): string | undefined {
  const cached = typeCache.get(text);
  if (cached !== undefined) return cached ?? undefined;
  let type: string | null = null;
  if (/^[a-z]/i.test(text)) {
    try {
      const code = typeToNumber(text.toUpperCase());
      // Meta-types and OPT are not zone data.
      if (code !== 41 && (code < 249 || code > 255)) type = typeFromNumber(code);
    } catch {
      type = null;
    }
  }
  if (typeCache.size < 1000) typeCache.set(text, type);
  return type ?? undefined;
}

/** Whether the dot ending `name` is a label separator rather than an escaped `\.`. */
function endsWithDot(name: string): boolean {
  if (name.charCodeAt(name.length - 1) !== 46) return false;
  let backslashes = 0;
  for (let i = name.length - 2; i >= 0 && name.charCodeAt(i) === 92; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** A name token made absolute: `@` is the origin, a name without a final dot is relative to it. */
export function absoluteName(text: string, origin: string, line: number): string {
  let name: string;
  if (text === '@') name = origin;
  else if (endsWithDot(text)) name = text;
  else name = origin === '.' ? `${text}.` : `${text}.${origin}`;
  try {
    validateName(name);
  } catch (error) {
    throw new LineError(
      line,
      `bad name '${text}': ${(error as Error).message.replace(/^bad name "[^"]*": /, '')}`,
    );
  }
  return name;
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The octets of a character-string token, escapes decoded (`\"`, `\\`, `\DDD`). */
export function stringOctets(text: string, line: number): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 92) {
      if (c < 0x80) out.push(c);
      else {
        const cp = text.codePointAt(i)!;
        if (cp > 0xffff) i++;
        for (const b of utf8.encode(String.fromCodePoint(cp))) out.push(b);
      }
      continue;
    }
    const digits = text.slice(i + 1, i + 4);
    if (/^\d{3}$/.test(digits)) {
      const value = Number(digits);
      if (value > 255) throw new LineError(line, `bad escape '\\${digits}' (over 255)`);
      out.push(value);
      i += 3;
    } else if (i + 1 < text.length) {
      out.push(text.charCodeAt(++i));
    } else {
      throw new LineError(line, 'dangling backslash');
    }
  }
  return Uint8Array.from(out);
}

/**
 * A character-string (at most 255 octets, RFC 1035 3.3) as the message model holds it: a string
 * when the octets are UTF-8, the octets otherwise (as the wire decoder does).
 */
export function characterString(text: string, line: number): string | Uint8Array {
  if (!/[\\\u0080-\uffff]/.test(text)) {
    if (text.length > 255) throw new LineError(line, `character-string longer than 255 octets`);
    return text;
  }
  const octets = stringOctets(text, line);
  if (octets.length > 255) throw new LineError(line, `character-string longer than 255 octets`);
  try {
    return strictUtf8.decode(octets);
  } catch {
    return octets;
  }
}
