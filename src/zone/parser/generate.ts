/** BIND's `$GENERATE range lhs [ttl] [class] type rhs` templates. */
import { LineError } from './lexer.js';

/** The most names one `$GENERATE` may produce (BIND has no limit; a typo should not eat the memory). */
export const MAX_GENERATE = 1_000_000;

/** A parsed `start-stop[/step]`. */
export interface GenerateRange {
  readonly start: number;
  readonly stop: number;
  readonly step: number;
}

/** Parses the range argument. */
export function parseRange(text: string, line: number): GenerateRange {
  const match = /^(\d+)-(\d+)(?:\/(\d+))?$/.exec(text);
  if (match === null)
    throw new LineError(line, `$GENERATE: expected a range start-stop[/step], got '${text}'`);
  const start = Number(match[1]);
  const stop = Number(match[2]);
  const step = match[3] === undefined ? 1 : Number(match[3]);
  if (start > stop || step < 1) throw new LineError(line, `$GENERATE: bad range '${text}'`);
  if ((stop - start) / step >= MAX_GENERATE)
    throw new LineError(line, `$GENERATE: range '${text}' is over ${MAX_GENERATE} names`);
  return { start, stop, step };
}

/** One `${offset,width,base}` value: bases d, o, x, X and the nibble forms n, N (reversed, dotted). */
function formatValue(value: number, width: number, base: string, line: number): string {
  switch (base) {
    case 'd':
      return String(value).padStart(width, '0');
    case 'o':
      return value.toString(8).padStart(width, '0');
    case 'x':
      return value.toString(16).padStart(width, '0');
    case 'X':
      return value.toString(16).toUpperCase().padStart(width, '0');
    case 'n':
    case 'N': {
      const digits = value.toString(16).padStart(width, '0');
      const nibbles = [...(base === 'N' ? digits.toUpperCase() : digits)].reverse();
      return nibbles.join('.');
    }
    default:
      throw new LineError(line, `$GENERATE: unknown base '${base}' (use d, o, x, X, n or N)`);
  }
}

/**
 * Expands a template for iterator value `value`: `$` is the value, `${offset[,width[,base]]}`
 * a modified one, `\$` a literal dollar.
 */
export function expandTemplate(template: string, value: number, line: number): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '\\' && template[i + 1] === '$') {
      out += '$';
      i++;
    } else if (c !== '$') {
      out += c;
    } else if (template[i + 1] === '{') {
      const close = template.indexOf('}', i);
      if (close < 0) throw new LineError(line, `$GENERATE: unterminated '\${' in '${template}'`);
      const match = /^(-?\d+)(?:,(\d+)(?:,([a-zA-Z]))?)?$/.exec(template.slice(i + 2, close));
      if (match === null) throw new LineError(line, `$GENERATE: bad modifier in '${template}'`);
      out += formatValue(value + Number(match[1]), Number(match[2] ?? 0), match[3] ?? 'd', line);
      i = close;
    } else {
      out += String(value);
    }
  }
  return out;
}
