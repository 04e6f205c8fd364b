/** Public helpers for names in presentation form (see the conventions in `types.ts`). */
import {
  appendLabelText,
  asciiLower,
  isPlainNormal,
  type ParsedNameText,
  parseNameText,
} from './name-text.js';

const scratch = new Uint8Array(256);
const scratchStarts = new Int32Array(128);
const scratchResult: ParsedNameText = { end: 0, labels: 0, plain: true };

/** Parses `name` into the scratch buffer; throws `EncodeError` when malformed. */
function parse(name: string): ParsedNameText {
  parseNameText(name, scratch, 0, scratchStarts, scratchResult);
  return scratchResult;
}

/** The canonical text of each label of the name in the scratch buffer, optionally lowercased. */
function scratchLabels(count: number, lower: boolean): string[] {
  const labels = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const at = scratchStarts[i]!;
    const text = appendLabelText('', scratch, at + 1, scratch[at]!);
    labels[i] = lower ? asciiLower(text) : text;
  }
  return labels;
}

/**
 * Checks that `name` can go on the wire: valid escapes, no empty label, labels of at most 63
 * bytes, at most 255 bytes in all (RFC 1035 2.3.4). Throws `EncodeError` otherwise.
 */
export function validateName(name: string): void {
  parse(name);
}

/**
 * The canonical, lowercase (ASCII only, RFC 4343), fully-qualified form of `name`: `''` becomes
 * `.`, a missing trailing dot is added and escapes are rewritten canonically (`\065` -> `a`).
 * Throws `EncodeError` for names that could not go on the wire.
 */
export function normalizeName(name: string): string {
  // Hot: plugins normalise names that the server already normalised.
  if (typeof name === 'string' && isPlainNormal(name)) return name;
  const parsed = parse(name);
  if (parsed.labels === 0) return '.';
  if (parsed.plain) {
    const lower = asciiLower(name);
    return lower.charCodeAt(lower.length - 1) === 46 ? lower : `${lower}.`;
  }
  return `${scratchLabels(parsed.labels, true).join('.')}.`;
}

/** The labels of `name` in canonical text, leftmost first, without the root: `a.b.` -> `['a', 'b']`. */
export function nameLabels(name: string): string[] {
  return scratchLabels(parse(name).labels, false);
}

/**
 * Whether `name` is `zone` or below it, comparing whole labels without regard to ASCII case.
 * Every name is under the root `.`.
 */
export function isSubdomain(name: string, zone: string): boolean {
  const child = normalizeName(name);
  const parent = normalizeName(zone);
  if (parent === '.' || child === parent) return true;
  if (child.length <= parent.length || !child.endsWith(parent)) return false;
  // The character before the zone must be a label separator, not an escaped dot (`a\.example.`).
  const dot = child.length - parent.length - 1;
  if (child.charCodeAt(dot) !== 46) return false;
  let backslashes = 0;
  for (let i = dot - 1; i >= 0 && child.charCodeAt(i) === 92; i--) backslashes++;
  return backslashes % 2 === 0;
}
